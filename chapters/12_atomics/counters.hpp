/// \file
/// \brief Chapter 12: counters from Paul McKenney's "Is Parallel Programming Hard"
/// (perfbook), chapter 5, on our sum: a statistical counter, which a reader can
/// read while the workers add to it, and a limit counter, which hands out 1..N
/// without an atomic per element.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ptut/machine.hpp"
#include "ptut/range.hpp"

namespace ch12 {

/// How far apart two threads' slots lie: two cache lines, not one. Intel's cores
/// fetch lines in pairs (the spatial, or adjacent-line, prefetcher), so a slot 64
/// bytes from another thread's can still be pulled away from its core; Folly and
/// oneTBB pad to 128 bytes on x86 for that reason.
inline constexpr std::size_t kSlotBytes = 2 * ptut::kCacheLine;

/// One thread's slot of a StatisticalCounter, on cache lines of its own.
struct alignas(kSlotBytes) CounterSlot {
  std::atomic<std::uint64_t> value{0};  ///< written by its own thread only
};

// [statistical]
/// A statistical counter: one slot per thread, each on cache lines of its own,
/// written only by its thread. Adding costs a plain load and store on lines no
/// other core writes; reading sums every slot, at any time, while the threads run.
/// A read is exact once the threads have been joined; before, it lies between the
/// total when the read began and the total when it ended.
class StatisticalCounter {
 public:
  /// A counter with a slot for each of `threads` threads, all 0.
  explicit StatisticalCounter(unsigned threads) : slots_(threads) {}

  /// Adds `value` to thread `thread`'s slot (0-based). Only that thread may call it.
  void add(unsigned thread, std::uint64_t value) noexcept {
    std::atomic<std::uint64_t>& mine = slots_[thread].value;
    // Nobody else writes this slot, so load + store loses nothing; the atomics
    // only let the reader read it while it changes (a plain integer would be a
    // data race: undefined behaviour, and TSan says so).
    mine.store(mine.load(std::memory_order_relaxed) + value, std::memory_order_relaxed);
  }

  /// The sum of the slots. Any thread may call it, at any time.
  [[nodiscard]] std::uint64_t read() const noexcept {
    std::uint64_t total = 0;
    for (const CounterSlot& slot : slots_)
      total += slot.value.load(std::memory_order_relaxed);
    return total;
  }

 private:
  std::vector<CounterSlot> slots_;
};
// [statistical]

// [limit]
/// A limit counter used as a dispenser: it counts the elements of 1..N handed out
/// so far and never passes N. A thread takes a batch of elements with one
/// fetch_add and counts through it privately, so the shared line is written once
/// per batch, not once per element; a fast thread simply takes more batches.
/// The count it holds runs ahead of the elements actually summed by at most one
/// batch per thread: the "approximate" of perfbook's approximate limit counters.
class LimitCounter {
 public:
  /// Hands out 1..limit, `batch` elements at a time (at least 1).
  LimitCounter(std::uint64_t limit, std::uint64_t batch)
      : limit_(limit), batch_(std::max<std::uint64_t>(batch, 1)) {}

  /// The next batch of 1..limit for the calling thread, or an empty chunk once
  /// every element has been handed out.
  [[nodiscard]] ptut::Chunk take() noexcept {
    // Relaxed: the counter hands out numbers and publishes nothing else; the
    // partial sums reach the caller through the threads' join.
    const std::uint64_t first = next_.fetch_add(batch_, std::memory_order_relaxed);
    if (first > limit_) return {limit_ + 1, limit_ + 1};
    return {first, std::min(first + batch_, limit_ + 1)};
  }
  /// Elements handed out so far (at most the limit).
  [[nodiscard]] std::uint64_t handed_out() const noexcept {
    return std::min(next_.load(std::memory_order_relaxed) - 1, limit_);
  }

 private:
  std::uint64_t limit_, batch_;
  // Batches past the limit keep adding: at most 2^64 − 1 − N over, with K ≤ 256
  // threads of one batch each past N ≤ kMaxN, far from wrapping.
  std::atomic<std::uint64_t> next_{1};
};
// [limit]

}  // namespace ch12
