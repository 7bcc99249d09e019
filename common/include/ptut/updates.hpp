/// \file
/// \brief The four ways a worker can add its part of 1..N to the result, taught by
/// chapter 2 (processes sharing a segment) and chapter 3 (threads sharing a
/// process). The memory differs between them; the strategies do not. Each adds
/// the elements of `part`, with `work` rounds of element(), to a total.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "ptut/range.hpp"
#include "ptut/work.hpp"

namespace ptut {

// [racy]
/// The article's `sumval.value += i`: read the shared total, add, write it back.
/// Another worker's write between our read and our write is overwritten: a lost
/// update. Each load and store is atomic, so this is a race on the logic, with
/// defined behaviour (we can count what it loses), not the undefined behaviour of
/// a data race on a plain integer.
inline void add_racy(std::atomic<std::uint64_t>& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = element(i, work);
    const std::uint64_t seen = total.load(std::memory_order_relaxed);
    total.store(seen + value, std::memory_order_relaxed);
  }
}
// [racy]

// [locked]
/// The article's fix, `with sumval.get_lock()`: the same update, one worker at a
/// time. Exact, and every element now waits for a lock every other worker wants.
template <class Mutex>
void add_locked(Mutex& mutex, std::uint64_t& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = element(i, work);
    const std::scoped_lock lock(mutex);
    total += value;
  }
}
// [locked]

// [atomic]
/// One indivisible read-modify-write per element: the hardware's lock instead of
/// ours. Relaxed order is enough: each addition only has to be atomic, nothing
/// else is published through the total, and nobody reads it before every worker
/// has ended (waitpid for a process, join for a thread orders all it did).
inline void add_atomic(std::atomic<std::uint64_t>& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    total.fetch_add(element(i, work), std::memory_order_relaxed);
  }
}
// [atomic]

// [partials]
/// Share nothing while working: sum privately, in a variable no other worker can
/// see, with the loop every chapter uses; the worker publishes it once, at the end.
inline void add_private(std::uint64_t& partial, Chunk part, unsigned work) {
  partial += sum_range(part, work);
}
// [partials]

}  // namespace ptut
