// Chapter 3, top to bottom: the six ways a thread adds its chunk into the total
// and the table that names them, the thread's body, and the caller that starts,
// joins and checks the threads (ptut/thread_team.hpp). A thread's fault on request
// is ptut/fault.hpp's.
#include "threads_atomics.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/fault.hpp"
#include "ptut/machine.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"
#include "ptut/slices.hpp"
#include "ptut/thread_team.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/updates.hpp"
#include "ptut/work.hpp"

namespace ch03 {
namespace {

using ptut::Chunk;

// What the threads of one run share: all of it, since they share the address space.
struct Shared {
  explicit Shared(unsigned workers)
      : packed(workers), padded(workers), partials(workers, 0) {}
  std::atomic<std::uint64_t> total{0};  // racy, atomic
  std::mutex mutex;                     // mutex: guards locked_total
  std::uint64_t locked_total = 0;
  std::vector<PackedSlot> packed;       // false_sharing
  std::vector<PaddedSlot> padded;       // padded
  std::vector<std::uint64_t> partials;  // partials: one per thread, written once
};

// ---------------------------------------------------------------------------
// The variants: what one thread does with a part of its chunk.

// The update strategies chapter 2 teaches too (ptut/updates.hpp), and one of
// this chapter's own: a slot per thread.

// [own_slot]
// Each thread adds into its own slot, element by element: no race, since nobody
// else writes the slot. Whether it is fast depends on where the slots lie.
template <class Slot>
void add_to_own_slot(Slot& slot, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    slot.value.store(slot.value.load(std::memory_order_relaxed) + ptut::element(i, work),
                     std::memory_order_relaxed);
  }
}
// [own_slot]

template <class Slot>
std::uint64_t slots_total(const std::vector<Slot>& slots) {
  std::uint64_t total = 0;
  for (const Slot& slot : slots) total += slot.value.load(std::memory_order_relaxed);
  return total;
}

// [variants]
// The variants, chosen once by name: how thread `index` adds one part of its
// chunk (returning what a step shows), and how the caller reads the total.
struct Way {
  // the name --variant takes, its line in --help, whether it claims the exact sum
  ptut::Variant variant;
  std::uint64_t (*add)(Shared& shared, unsigned index, std::uint64_t& partial, Chunk part,
                       unsigned work);
  const char* shows;  // what a step prints beside the element
  std::uint64_t (*total)(const Shared& shared);
};
const Way kWays[] = {
    {{"racy", "load, add, store one shared std::atomic per element; loses updates",
      false},
     [](Shared& s, unsigned, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_racy(s.total, part, work);
       return s.total.load(std::memory_order_relaxed);
     },
     "shared total",
     [](const Shared& s) { return s.total.load(std::memory_order_relaxed); }},
    {{"mutex", "a std::mutex around each update of one shared total; exact"},
     [](Shared& s, unsigned, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_locked(s.mutex, s.locked_total, part, work);
       const std::lock_guard lock(s.mutex);
       return s.locked_total;
     },
     "shared total",
     [](const Shared& s) { return s.locked_total; }},
    {{"atomic", "fetch_add on one shared std::atomic per element; exact"},
     [](Shared& s, unsigned, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_atomic(s.total, part, work);
       return s.total.load(std::memory_order_relaxed);
     },
     "shared total",
     [](const Shared& s) { return s.total.load(std::memory_order_relaxed); }},
    {{"false_sharing",
      "each thread adds into its own slot of a packed array, per element; exact, slots "
      "share a "
      "cache line"},
     [](Shared& s, unsigned index, std::uint64_t&, Chunk part, unsigned work) {
       add_to_own_slot(s.packed[index], part, work);
       return s.packed[index].value.load(std::memory_order_relaxed);
     },
     "my sum",
     [](const Shared& s) { return slots_total(s.packed); }},
    {{"padded", "the same with each slot on its own 64-byte cache line; exact"},
     [](Shared& s, unsigned index, std::uint64_t&, Chunk part, unsigned work) {
       add_to_own_slot(s.padded[index], part, work);
       return s.padded[index].value.load(std::memory_order_relaxed);
     },
     "my sum",
     [](const Shared& s) { return slots_total(s.padded); }},
    {{"partials",
      "each thread sums into a local variable and publishes once; exact and fast"},
     [](Shared&, unsigned, std::uint64_t& partial, Chunk part, unsigned work) {
       ptut::add_private(partial, part, work);
       return partial;
     },
     "my sum",
     [](const Shared& s) {
       std::uint64_t total = 0;
       for (const std::uint64_t partial : s.partials) total += partial;
       return total;
     }},
};
// [variants]

// ---------------------------------------------------------------------------
// One thread.

void thread_main(const Config& config, const Way& way, Shared& shared, unsigned worker,
                 Chunk chunk) {
  // Out of the loop below: a planned fault throws before the slice that reaches
  // it, and a small run shows each step (what the loop stored in `shown`).
  ptut::WatchedSlices slices(
      chunk, config.show_steps ? 1 : chunk.size() / 2 + 1,
      ptut::FaultPlan(config.throwing_worker, worker, chunk),
      [chunk](std::uint64_t next) { ptut::throw_injected_fault(chunk, next); },
      [&](const ptut::Slice& slice) {
        if (config.show_steps)
          ptut::show_thread_step(worker, slice.part.first, way.shows, slice.shown);
      });
  std::uint64_t partial = 0;
  ptut::pin_to_core(worker);
  // The chunk as one span (--trace): a span per element would cost more than the
  // element, and a thread's chunk is what the timeline compares.
  const ptut::trace::Span working(
      "chunk", {{"chunk", worker}, {"first", chunk.first}, {"last", chunk.last}});
  // [worker_loop]
  for (ptut::Slice& slice : slices) {
    slice.shown = way.add(shared, worker - 1, partial, slice.part, config.options.work);
  }
  // [worker_loop]
  shared.partials[worker - 1] = partial;  // publish once; join() makes it visible
}

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch03_threads_atomics",
      .title = "Chapter 3: threads and atomics",
      .about =
          "Chapter 3: the sum of 1..N with K std::jthreads in one process. Threads "
          "share all memory: the variants show a race, three fixes, and false sharing.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "partials",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

// [run]
ptut::RunResult run(const Config& config) {
  const ptut::Options& options = config.options;
  const Way& way = ptut::find_variant(kWays, options.variant);
  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);
  Shared shared(options.workers);

  const ptut::Stopwatch stopwatch;
  // K std::jthreads, released together once all have started, joined before it
  // returns; a thread that throws, or that could not start, is named (RunFailed).
  ptut::run_thread_team(
      options.workers,
      [&](unsigned worker) {
        thread_main(config, way, shared, worker, chunks[worker - 1]);
      },
      config.unstartable_worker);

  ptut::RunResult result;
  result.seconds = stopwatch.seconds();
  result.sum = way.total(shared);
  return result;
}
// [run]

}  // namespace ch03
