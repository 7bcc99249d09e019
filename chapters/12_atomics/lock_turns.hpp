/// \file
/// \brief Chapter 12: a thread's turns at a lock, one element each: counted (how
/// many other turns came first, whether the lock changed cores), and with
/// `--trace`, a sample of them traced.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>

#include "ptut/range.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch12 {

/// Adds the elements of `part` to `guarded`'s total under `lock`, one turn each,
/// and notes in `longest_wait` the most turns other threads took between this
/// thread's asking and its turn. (`Guarded`: the shared total, its turn count
/// `granted`, its last `holder` and its `handoffs`.)
// [count_waits]
template <class Lock, class Guarded>
void add_counting_waits(Lock& lock, Guarded& guarded, unsigned me,
                        std::uint64_t& longest_wait, ptut::Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    const std::uint64_t asked = guarded.granted.load(std::memory_order_relaxed);
    const std::scoped_lock hold(lock);
    const std::uint64_t turn = guarded.granted.load(std::memory_order_relaxed);
    guarded.granted.store(turn + 1, std::memory_order_relaxed);  // only the holder
    guarded.total += value;
    longest_wait = std::max(longest_wait, turn - asked);  // others served first
    guarded.handoffs += guarded.holder != me;  // the lines came from another core
    guarded.holder = me;
  }
}
// [count_waits]

/// Only a sample of turns is traced: a wait or a hold lasts tens of nanoseconds and
/// a span's two events microseconds. Each thread's first kTracedTurns turns show who
/// gets the lock next all the same: a waiting thread's wait ends only when the
/// holder's hold does.
inline constexpr std::uint64_t kTracedTurns = 200;

/// A lock whose waits and holds each make a span (--trace), counting the turns.
template <class Lock>
struct TracedLock {
  Lock& lock_;           ///< the lock itself
  std::uint64_t& turn_;  ///< this thread's turns traced so far
  /// Waits for the lock (a "wait for lock" span), then opens "hold lock".
  void lock() {
    {
      const ptut::trace::Span waiting("wait for lock", {{"turn", turn_ + 1}});
      lock_.lock();
    }
    ptut::trace::begin("hold lock", {{"turn", ++turn_}});
  }
  /// Ends "hold lock" and lets go.
  void unlock() {
    ptut::trace::end();
    lock_.unlock();
  }
};

/// With a trace written, hands `add` (called as `add(traced_lock, sample)`) the
/// first elements of `part`, while this thread has traced fewer than kTracedTurns
/// turns; returns what is left of `part` for the untraced loop.
template <class Lock, class Add>
ptut::Chunk add_traced_turns(Lock& lock, std::uint64_t& traced_turns, ptut::Chunk part,
                             Add add) {
  if (!ptut::trace::on || traced_turns >= kTracedTurns) return part;
  const ptut::Chunk sample{part.first,
                           std::min(part.last, part.first + kTracedTurns - traced_turns)};
  TracedLock<Lock> traced{lock, traced_turns};
  add(traced, sample);
  return {sample.last, part.last};
}

}  // namespace ch12
