// Chapter 2, top to bottom: the four ways a worker adds its chunk into shared
// memory and the table that names them, the worker process, and the parent that
// forks, watches and reaps the workers. The shared segment is in segment.cpp, the
// faults and the watchdog in watch.cpp.
#include "fork_shared_memory.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/ipc_names.hpp"
#include "ptut/machine.hpp"
#include "ptut/process.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"
#include "ptut/slices.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/updates.hpp"
#include "ptut/work.hpp"
#include "segment.hpp"
#include "watch.hpp"

namespace ch02 {

PlainProcessMutex::PlainProcessMutex() {
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  // Without this a pthread mutex may only be used by the threads of one process
  // (glibc then uses private futexes, which another process never wakes).
  pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
  const int error = pthread_mutex_init(&mutex_, &attributes);
  pthread_mutexattr_destroy(&attributes);
  if (error != 0)
    throw std::system_error(error, std::generic_category(), "pthread_mutex_init");
}

void PlainProcessMutex::lock() {
  if (const int error = pthread_mutex_lock(&mutex_))
    throw std::system_error(error, std::generic_category(), "lock");
}

void PlainProcessMutex::unlock() {
  pthread_mutex_unlock(&mutex_);
}

namespace {

namespace bip = boost::interprocess;
using ptut::Chunk;

// ---------------------------------------------------------------------------
// The variants: what one worker does with a part of its chunk.

// How a worker adds its part: the update strategies of ptut/updates.hpp (chapter
// 3's too), on the segment's totals.

template <class Mutex>
std::uint64_t read_locked(const SharedTotals& shared, Mutex& mutex) {
  const std::scoped_lock lock(mutex);
  return shared.locked_total;
}

// [variants]
// The variants, chosen once by name: how a worker adds one part of its chunk
// (returning what a step shows), and where the parent finds the total.
enum class Total { shared, locked, slots };
struct Way {
  // the name --variant takes, its line in --help, whether it claims the exact sum
  ptut::Variant variant;
  std::uint64_t (*add)(SharedTotals& shared, std::uint64_t& partial, Chunk part,
                       unsigned work);
  const char* shows;  // what a step prints beside the element
  Total total;
};
const Way kWays[] = {
    {{"racy",
      "the article's sumval.value += i: load, add, store the shared total per element; "
      "loses updates",
      false},
     [](SharedTotals& s, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_racy(s.total, part, work);
       return s.total.load(std::memory_order_relaxed);
     },
     "shared total",
     Total::shared},
    {{"locked",
      "the article's fix: the same update under a lock shared by the processes (--lock); "
      "exact and slow"},
     [](SharedTotals& s, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_locked(s.mutex, s.locked_total, part, work);
       return read_locked(s, s.mutex);
     },
     "shared total",
     Total::locked},
    {{"atomic", "fetch_add on one shared lock-free std::atomic per element; exact"},
     [](SharedTotals& s, std::uint64_t&, Chunk part, unsigned work) {
       ptut::add_atomic(s.total, part, work);
       return s.total.load(std::memory_order_relaxed);
     },
     "shared total",
     Total::shared},
    {{"partials",
      "each worker sums its chunk privately and stores it once in its own slot; exact "
      "and fast"},
     [](SharedTotals&, std::uint64_t& partial, Chunk part, unsigned work) {
       ptut::add_private(partial, part, work);
       return partial;
     },
     "my partial sum",
     Total::slots},
};
// [variants]

// `locked` with --lock plain: the same update under the plain pthread mutex.
const Way kPlainLocked = {kWays[1].variant,
                          [](SharedTotals& s, std::uint64_t&, Chunk part, unsigned work) {
                            ptut::add_locked(s.plain_mutex, s.locked_total, part, work);
                            return read_locked(s, s.plain_mutex);
                          },
                          "shared total", Total::locked};

const Way& chosen_way(const Config& config) {
  const Way& way = ptut::find_variant(kWays, config.options.variant);
  return way.total == Total::locked && config.lock == Lock::plain ? kPlainLocked : way;
}

// ---------------------------------------------------------------------------
// The worker process.

void wait_at_start_line(SharedTotals& shared, unsigned workers) {
  // [start_line]
  shared.arrived.fetch_add(1, std::memory_order_acq_rel);
  while (shared.arrived.load(std::memory_order_acquire) < workers) sched_yield();
  // [start_line]
}

// A step of a small run, as the article prints one; the pause lets the workers
// visibly interleave.
void show_step(unsigned worker, std::uint64_t i, const char* what, std::uint64_t value) {
  ptut::print_step(
      "worker " + std::to_string(worker) + " (pid " + std::to_string(getpid()) + ")", i,
      what, value);
  std::this_thread::sleep_for(ptut::kStepPause);
}

// Every turn at the lock traced would mean four write()s per element, more than
// the element itself costs by far: only a worker's first turns are traced, and
// the rest of its chunk runs as it does untraced.
constexpr std::uint64_t kTracedLockTurns = 200;

// The locked variant's update (ptut::add_locked), with each turn's wait for the
// lock and its hold traced. The trace's own writes happen inside the hold, so a
// traced turn lasts microseconds where an untraced one lasts nanoseconds: what
// it shows faithfully is the order, who holds while who waits.
template <class Mutex>
void add_locked_traced(Mutex& mutex, std::uint64_t& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    ptut::trace::begin("wait for lock", {{"element", i}});
    const std::scoped_lock lock(mutex);
    ptut::trace::end();
    const ptut::trace::Span holding("hold lock", {{"element", i}});
    total += value;
  }
}

// How many of `chunk`'s first elements the worker adds with traced turns: none
// unless a trace is written and the variant locks, nor in a small run, whose
// steps show every element already.
std::uint64_t traced_turns(const Config& config, const Way& way, Chunk chunk) {
  if (!ptut::trace::on || way.total != Total::locked || config.show_steps) return 0;
  return std::min(chunk.size(), kTracedLockTurns);
}

void add_traced_turns(const Config& config, SharedTotals& shared, Chunk part) {
  if (config.lock == Lock::plain) {
    add_locked_traced(shared.plain_mutex, shared.locked_total, part, config.options.work);
  } else {
    add_locked_traced(shared.mutex, shared.locked_total, part, config.options.work);
  }
}

// Runs in the child. Its return value is the child's exit status.
int worker_main(const Config& config, const Way& way, SharedTotals& shared,
                WorkerSlot& slot, unsigned worker, Chunk chunk) {
  ptut::trace::Span starting("start-up");
  const std::uint64_t traced = traced_turns(config, way, chunk);
  // What the full program does between slices, out of the loop below: a planned
  // fault strikes before the slice that reaches it; after each slice, the worker's
  // progress goes to its slot for the parent's watchdog, and a small run shows a
  // step (what the loop stored in `shown`).
  ptut::WatchedSlices slices(
      Chunk{chunk.first + traced, chunk.last},
      config.show_steps ? 1 : ptut::progress_slice(config.options.work),
      ptut::FaultPlan(config.fault.worker, worker, chunk),
      [&](std::uint64_t) { strike(config.fault.kind); },
      [&](const ptut::Slice& slice) {
        slot.done.store(slice.part.last - chunk.first, std::memory_order_relaxed);
        if (config.show_steps)
          show_step(worker, slice.part.first, way.shows, slice.shown);
      });
  std::uint64_t partial = 0;
  ptut::pin_to_core(worker);
  wait_at_start_line(shared, config.options.workers);
  starting.close();
  const ptut::trace::Span working("chunk", {{"chunk", worker},
                                            {"first", chunk.first},
                                            {"last", chunk.last},
                                            {"traced lock turns", traced}});
  add_traced_turns(config, shared, Chunk{chunk.first, chunk.first + traced});
  // [worker_loop]
  for (ptut::Slice& slice : slices) {
    slice.shown = way.add(shared, partial, slice.part, config.options.work);
  }
  // [worker_loop]
  // [publish]
  slot.partial.store(partial, std::memory_order_release);
  // [publish]
  slot.finished.store(true, std::memory_order_release);
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------
// The parent.

ptut::ChapterSpec spec() {
  return {
      .target = "ch02_fork_shared_memory",
      .title = "Chapter 2: fork and shared memory",
      .about =
          "Chapter 2: the article's program. K processes made with fork() add their "
          "chunks of 1..N into memory they share (Boost.Interprocess); the parent "
          "waits for them with waitpid().",
      .variants = ptut::variants_of(kWays),
      .default_variant = "partials",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

bool takes_lock(std::string_view variant) {
  return ptut::find_variant(kWays, variant).total == Total::locked;
}

std::string segment_name(pid_t owner) {
  return ptut::ipc_name("ch02", owner, "segment");
}

// [run]
ForkFacts run(const Config& config) {
  const ptut::Options& options = config.options;
  const Way& way = chosen_way(config);
  // What runs killed with SIGKILL left behind (before this run creates anything).
  const std::vector<std::string> removed = ptut::remove_stale_ipc_objects("ch02");

  // Declared first, destroyed last: SIGINT and SIGTERM stay blocked until the
  // segment below has been removed, whatever happens.
  ptut::ChildProcesses children;
  const Segment segment(config.memory, options.workers, getpid());
  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);

  const ptut::Stopwatch stopwatch;
  ptut::trace::Span starting("start workers");
  for (unsigned w = 0; w < options.workers; ++w) {
    children.start(w + 1, [&, w] {
      return worker_main(config, way, segment.totals(), segment.slot(w), w + 1,
                         chunks[w]);
    });
  }
  starting.close();
  Watchdog watchdog(segment, chunks, children, config.hang_timeout, options.n);
  ptut::trace::Span waiting("wait");
  if (const auto failure = children.wait(std::ref(watchdog))) {
    throw RunFailed(*failure, children.interrupted());
  }
  waiting.close();
  const ptut::trace::Span gathering("gather");

  // Every worker has exited with status 0: nobody holds the mutex, and nothing
  // they wrote is still in flight.
  ForkFacts result;
  result.seconds = stopwatch.seconds();
  switch (way.total) {
    case Total::locked:
      result.sum = segment.totals().locked_total;
      break;
    case Total::shared:
      result.sum = segment.totals().total.load(std::memory_order_relaxed);
      break;
    case Total::slots:
      result.partials.emplace();
      for (unsigned w = 0; w < options.workers; ++w) {
        const std::uint64_t partial =
            segment.slot(w).partial.load(std::memory_order_acquire);
        result.sum += partial;
        result.partials->push_back(partial);
      }
      break;
  }
  // [run]
  result.memory = config.memory;
  if (way.total == Total::locked) result.lock = config.lock;
  result.removed = removed;
  return result;
}

void to_json(nlohmann::json& json, const ForkFacts& facts) {
  json = {
      {"memory", ptut::name_of(kMemories, facts.memory)},
      {"removed", facts.removed},
  };
  if (facts.lock) json["lock"] = ptut::name_of(kLocks, *facts.lock);
  if (facts.partials) {
    json["partials"] = nlohmann::json::array();
    for (const std::uint64_t partial : *facts.partials)
      json["partials"].push_back(std::to_string(partial));
  }
}

}  // namespace ch02
