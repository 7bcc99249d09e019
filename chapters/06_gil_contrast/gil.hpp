/// \file
/// \brief Chapter 6: a global interpreter lock, modelled on CPython's
/// (`Python/ceval_gil.c`): one holder at a time, a switch interval, drop
/// requests, and forced switching.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

/// Chapter 6: the GIL contrast.
namespace ch06 {

// [gil]
/// The lock. A thread runs "Python" only while it holds it. A thread that wants it
/// waits at most one switch interval at a time; if the holder has not changed by
/// then, it sets a drop request, which the holder sees at its next check
/// (drop_requested(), CPython's "eval breaker") and answers by handing the lock
/// over (yield()). With forced switching, a thread that drops the lock because it
/// was asked to waits until another thread has taken it, so that it cannot take it
/// straight back.
class Gil {
 public:
  /// A lock whose waiters ask for it after `switch_interval` (CPython: 5 ms,
  /// `sys.setswitchinterval`).
  explicit Gil(std::chrono::nanoseconds switch_interval) : interval_(switch_interval) {}
  Gil(const Gil&) = delete;
  Gil& operator=(const Gil&) = delete;

  /// Takes the lock for thread `who` (a number that identifies the thread and no
  /// other one), waiting as long as it takes. Traced (`--trace`), the wait and the
  /// hold that follows are spans on the thread's track, for its first 1000 holds.
  void take(unsigned who);
  /// Releases the lock held by `who`; if another thread asked for it, waits
  /// until one has taken it (forced switching).
  /// \throws std::logic_error if `who` does not hold it.
  void drop(unsigned who);
  /// The holder's check, cheap enough to make every few steps of work.
  [[nodiscard]] bool drop_requested() const noexcept {
    return drop_request_.load(std::memory_order_relaxed);
  }
  /// Hands the lock to whoever asked for it, then waits to take it back.
  void yield(unsigned who) {
    drop(who);
    take(who);
  }

  /// Times the lock passed from one thread to another.
  [[nodiscard]] std::uint64_t handoffs() const;
  /// Times a waiter's interval ran out and it asked the holder to drop the lock.
  [[nodiscard]] std::uint64_t drop_requests() const;
  /// Times a thread took the lock while another held it: a self-check of take()'s
  /// logic at every take (anything but 0 is a bug). The tests also check it from
  /// outside.
  [[nodiscard]] std::uint64_t overlapping_holders() const noexcept {
    return overlaps_.load();
  }

 private:
  const std::chrono::nanoseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable released_;  // the lock became free
  std::condition_variable switched_;  // another thread took it (forced switching)
  bool locked_ = false;
  std::optional<unsigned> last_holder_;  // nobody yet
  std::uint64_t switch_number_ = 0;      // how many times the holder changed
  std::uint64_t drop_requests_ = 0;
  std::atomic<bool> drop_request_{false};
  std::atomic<int> holders_{0};
  std::atomic<std::uint64_t> overlaps_{0};
};
// [gil]

}  // namespace ch06
