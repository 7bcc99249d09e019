/// \file
/// \brief Chapter 12: four locks built from atomics, each a BasicLockable (lock(),
/// unlock()) that `std::scoped_lock` accepts, as it accepts `std::mutex`. Each one
/// fixes what the one before it gets wrong.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "ptut/machine.hpp"

/// Chapter 12: atomics in depth.
namespace ch12 {

/// Tells the core that this thread is spinning (x86's `pause`): the loop then
/// leaves the pipeline's resources to the other hyperthread and is cheaper to leave.
inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// After this many turns, a spinning thread yields its core: on a machine with fewer
/// cores than threads the holder may be waiting for that core to finish.
inline constexpr unsigned kSpinsBeforeYield = 256;

// [tas]
/// Test-and-set: one atomic flag; lock() sets it until it was clear before. Every
/// waiting thread writes the flag's cache line on every try, so the line bounces
/// between cores even while nobody can get in, and nothing says who goes next.
class TasLock {
 public:
  /// Spins until the flag was clear, and sets it.
  void lock() noexcept {
    // acquire: what the last holder wrote before its release is visible from here
    for (unsigned spins = 1; flag_.test_and_set(std::memory_order_acquire); ++spins) {
      if (spins % kSpinsBeforeYield == 0) std::this_thread::yield();
    }
  }
  /// Clears the flag. Release: what this holder wrote is published to the next
  /// one to acquire.
  void unlock() noexcept { flag_.clear(std::memory_order_release); }

 private:
  std::atomic_flag flag_;  // clear since C++20
};
// [tas]

// [ttas]
/// Test-and-test-and-set with exponential backoff: wait by reading, which every
/// waiting core can do from its own copy of the line, and try the write only when
/// the lock looks free; after a failed try wait longer, so that fewer cores try at
/// once. Still no order among the waiters.
class TtasLock {
 public:
  /// Tries the exchange; while it fails, waits by reading, longer after each try.
  void lock() noexcept {
    unsigned backoff = 1;
    while (true) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      for (unsigned spins = 1; locked_.load(std::memory_order_relaxed); ++spins) {
        for (unsigned p = 0; p < backoff; ++p) spin_pause();
        if (spins % kSpinsBeforeYield == 0) std::this_thread::yield();
      }
      backoff = backoff < kMaxBackoff ? backoff * 2 : kMaxBackoff;
    }
  }
  /// Marks the lock free, releasing what the holder wrote.
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr unsigned kMaxBackoff = 64;  // pauses, about a microsecond
  std::atomic<bool> locked_{false};
};
// [ttas]

// [ticket]
/// A ticket lock, as at a bakery counter: take the next number, wait until it is
/// served. Threads get the lock in the order they asked: fair, and a waiter knows
/// how many are ahead of it. Only the holder writes `serving_`.
class TicketLock {
 public:
  /// Takes the next ticket and spins until it is served.
  void lock() noexcept {
    const std::uint32_t mine = next_.fetch_add(1, std::memory_order_relaxed);
    for (unsigned spins = 1; serving_.load(std::memory_order_acquire) != mine; ++spins) {
      spin_pause();
      if (spins % kSpinsBeforeYield == 0) std::this_thread::yield();
    }
  }
  /// Serves the next ticket, releasing what the holder wrote.
  void unlock() noexcept {
    serving_.store(serving_.load(std::memory_order_relaxed) + 1,
                   std::memory_order_release);
  }

 private:
  std::atomic<std::uint32_t> next_{0};  // wraps around: only differences matter
  std::atomic<std::uint32_t> serving_{0};
};
// [ticket]

// [waiting]
/// A lock that sleeps instead of spinning, with C++20's atomic wait and notify
/// (a futex on Linux): the three states of Drepper's "Futexes Are Tricky". Unlock
/// pays for a wake-up only when someone may be asleep, which state 2 records.
class WaitingLock {
 public:
  /// Takes the lock if it is free; otherwise marks it contended and sleeps until
  /// it is handed back.
  void lock() noexcept {
    int seen = kFree;
    if (state_.compare_exchange_strong(seen, kLocked, std::memory_order_acquire)) return;
    // Contended: say so (state 2), then sleep while it stays held.
    if (seen != kContended) seen = state_.exchange(kContended, std::memory_order_acquire);
    while (seen != kFree) {
      state_.wait(kContended, std::memory_order_relaxed);
      seen = state_.exchange(kContended, std::memory_order_acquire);
    }
  }
  /// Frees the lock, and wakes one sleeper if there may be one.
  void unlock() noexcept {
    if (state_.exchange(kFree, std::memory_order_release) == kContended)
      state_.notify_one();
  }

 private:
  static constexpr int kFree = 0, kLocked = 1, kContended = 2;
  std::atomic<int> state_{kFree};
};
// [waiting]

}  // namespace ch12
