// Chapter 12, top to bottom: what the threads of a run share, each variant's thread
// (the counters, the locks, the barrier's phases, the semaphore's bound), the
// table that names them, and the caller. The counters and locks themselves are in
// counters.hpp and locks.hpp; starting and joining the threads is
// ptut/thread_team.hpp's, a thread's fault on request ptut/fault.hpp's, and the
// result's JSON result.cpp's; the statistical counter's reader is in reader.cpp.
#include "atomics.hpp"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdint>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "counters.hpp"
#include "lock_turns.hpp"
#include "locks.hpp"
#include "reader.hpp"
#include "ptut/fault.hpp"
#include "ptut/machine.hpp"
#include "ptut/range.hpp"
#include "ptut/slices.hpp"
#include "ptut/thread_team.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/updates.hpp"
#include "ptut/work.hpp"

namespace ch12 {
namespace {

using ptut::Chunk;

struct Shared;

// The barrier's completion step: run by one thread once all have arrived, before
// any leaves. It must not throw (std::barrier requires it): its vector has room.
struct CombinePhase {
  Shared* shared;
  void operator()() noexcept;
};

// A total guarded by a lock, and the count of times the lock was granted (read
// outside the lock by a thread about to ask, hence atomic), side by side: both
// are written by the holder only, on the line the lock already moves.
struct alignas(ptut::kCacheLine) Guarded {
  std::uint64_t total = 0;
  std::atomic<std::uint64_t> granted{0};
  unsigned holder = 0;         // the thread that holds the lock, or held it last
  std::uint64_t handoffs = 0;  // acquisitions by another thread than the last holder
};

// What the threads of one run share.
struct Shared {
  explicit Shared(const Config& config)
      : counter(config.options.workers),
        dispenser(config.options.n, config.show_steps ? 1 : config.batch),
        longest_wait(config.options.workers, 0),
        phase_partials(config.options.workers, 0),
        phase_barrier(config.options.workers, CombinePhase{this}),
        permits(permits_for(config)),
        show_steps(config.show_steps) {
    phase_totals.reserve(config.phases);
  }
  StatisticalCounter counter;           // statistical
  std::atomic<std::uint64_t> total{0};  // shared_atomic; the others' partials
  LimitCounter dispenser;               // limit
  std::atomic<std::uint64_t> batches{0};
  std::mutex mutex;  // the locks, each guarding `guarded`
  TasLock tas;
  TtasLock ttas;
  TicketLock ticket;
  WaitingLock waiting;
  Guarded guarded;
  std::vector<std::uint64_t> longest_wait;  // one per thread, written by it
  std::vector<std::uint64_t> phase_partials;
  std::vector<std::uint64_t> phase_totals;
  std::barrier<CombinePhase> phase_barrier;
  std::counting_semaphore<ptut::kMaxWorkers> permits;
  std::atomic<unsigned> running{0}, most_running{0};
  bool show_steps;
};

// [combine]
// Every thread has stored its partial for the phase and arrived: the barrier
// orders those stores before this step, and this step before every thread's
// next phase, so plain variables suffice.
void CombinePhase::operator()() noexcept {
  for (std::uint64_t& partial : shared->phase_partials) {
    shared->total.fetch_add(std::exchange(partial, 0), std::memory_order_relaxed);
  }
  shared->phase_totals.push_back(shared->total.load(std::memory_order_relaxed));
  if (shared->show_steps) {
    ptut::write_line(1, "  after phase " + std::to_string(shared->phase_totals.size()) +
                            ": total = " + std::to_string(shared->phase_totals.back()) +
                            "\n");
  }
}
// [combine]

// A thread's chunk in slices, as chapter 3 walks it: a planned fault throws before
// the slice that reaches it, a small run shows each step (what `add` returned).
template <class Add>
void over_slices(const Config& config, unsigned worker, Chunk chunk, const char* shows,
                 Add add) {
  ptut::WatchedSlices slices(
      chunk, config.show_steps ? 1 : chunk.size() / 2 + 1,
      ptut::FaultPlan(config.throwing_worker, worker, chunk),
      [chunk](std::uint64_t next) { ptut::throw_injected_fault(chunk, next); },
      [&](const ptut::Slice& slice) {
        if (config.show_steps)
          ptut::show_thread_step(worker, slice.part.first, shows, slice.shown);
      });
  // The chunk as one span (--trace): never a span per element.
  const ptut::trace::Span working(
      "chunk", {{"chunk", worker}, {"first", chunk.first}, {"last", chunk.last}});
  for (ptut::Slice& slice : slices) slice.shown = add(slice.part);
}

// ---------------------------------------------------------------------------
// The counters.

void shared_atomic_thread(Shared& s, const Config& config, unsigned worker, Chunk chunk) {
  over_slices(config, worker, chunk, "shared total", [&](Chunk part) {
    ptut::add_atomic(s.total, part, config.options.work);  // a fetch_add per element
    return s.total.load(std::memory_order_relaxed);
  });
}

void statistical_thread(Shared& s, const Config& config, unsigned worker, Chunk chunk) {
  StatisticalCounter& counter = s.counter;
  over_slices(config, worker, chunk, "counter", [&](Chunk part) {
    for (std::uint64_t i = part.first; i < part.last; ++i)
      counter.add(worker - 1, ptut::element(i, config.options.work));
    return counter.read();
  });
}

[[noreturn]] void give_up_after(std::uint64_t taken) {
  throw std::runtime_error("injected fault: gave up after " + std::to_string(taken) +
                           " elements");
}

void limit_thread(Shared& s, const Config& config, unsigned worker, Chunk) {
  // The fault strikes halfway through the share a static split would give.
  const std::uint64_t share = config.options.n / config.options.workers;
  ptut::FaultPlan fault(config.throwing_worker, worker, {1, 1 + share});
  std::uint64_t partial = 0, batches = 0, taken = 0;
  // One span for all of this thread's batches (a span per batch would cost as much
  // as the batch), saying at its end how many it took.
  if (ptut::trace::on) ptut::trace::begin("batches");
  struct EndSpan {
    const std::uint64_t &batches, &taken;
    ~EndSpan() {
      if (ptut::trace::on) ptut::trace::end({{"batches", batches}, {"elements", taken}});
    }
  } end_span{batches, taken};
  for (Chunk batch = s.dispenser.take(); !batch.empty(); batch = s.dispenser.take()) {
    partial += ptut::sum_range(batch, config.options.work);
    ++batches;
    taken += batch.size();
    if (config.show_steps) ptut::show_thread_step(worker, batch.first, "my sum", partial);
    if (fault.due(1 + taken)) give_up_after(taken);
  }
  if (fault.pending()) give_up_after(taken);
  s.total.fetch_add(partial, std::memory_order_relaxed);
  s.batches.fetch_add(batches, std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------
// The locks: each guards one shared total, one element at a time, as chapter 3's
// mutex variant does, and counts how long each thread waited for its turn.

template <auto lock_of_shared>  // which of Shared's locks: &Shared::tas, say
void locked_thread(Shared& s, const Config& config, unsigned worker, Chunk chunk) {
  auto& lock = s.*lock_of_shared;
  std::uint64_t longest = 0, traced_turns = 0;
  over_slices(config, worker, chunk, "shared total", [&](Chunk part) {
    part = add_traced_turns(lock, traced_turns, part, [&](auto& traced, Chunk sample) {
      add_counting_waits(traced, s.guarded, worker, longest, sample, config.options.work);
    });
    add_counting_waits(lock, s.guarded, worker, longest, part, config.options.work);
    const std::scoped_lock hold(lock);
    return s.guarded.total;
  });
  s.longest_wait[worker - 1] = longest;  // read after the join
}

// ---------------------------------------------------------------------------
// The C++20 synchronisation library: phases on a barrier, a bound on a semaphore.

void phased_thread(Shared& s, const Config& config, unsigned worker, Chunk chunk) {
  // [phases]
  // One phase: this thread's part of it, then the barrier. The last thread to
  // arrive runs CombinePhase, and nobody leaves before it has run.
  const auto run_phase = [&](Chunk mine) {
    {
      const ptut::trace::Span working("chunk",
                                      {{"first", mine.first}, {"last", mine.last}});
      s.phase_partials[worker - 1] = ptut::sum_range(mine, config.options.work);
    }
    const ptut::trace::Span waiting("barrier");  // --trace: how long for the others
    s.phase_barrier.arrive_and_wait();
  };
  // [phases]
  ptut::FaultPlan fault(config.throwing_worker, worker, chunk);
  try {
    for (const Chunk part : ptut::split_range(chunk.size(), config.phases)) {
      const Chunk mine{chunk.first + part.first - 1, chunk.first + part.last - 1};
      if (fault.due(mine.first)) ptut::throw_injected_fault(chunk, mine.first);
      run_phase(mine);  // every thread runs as many phases: --phases
    }
    if (fault.pending()) ptut::throw_injected_fault(chunk, chunk.last);
  } catch (...) {
    // Leave the barrier for good, or the others would wait for this thread's
    // arrival in every phase to come, for ever.
    s.phase_barrier.arrive_and_drop();
    throw;
  }
}

void bounded_thread(Shared& s, const Config& config, unsigned worker, Chunk chunk) {
  // [bounded]
  {
    const ptut::trace::Span waiting("wait for a permit");  // --trace
    s.permits.acquire();  // at most `permits` threads past this line at once
  }
  struct Release {
    Shared& s;
    ~Release() {
      s.running.fetch_sub(1, std::memory_order_relaxed);
      s.permits.release();  // also when the sum throws
    }
  } release{s};
  const unsigned now = s.running.fetch_add(1, std::memory_order_relaxed) + 1;
  // [bounded]
  unsigned most = s.most_running.load(std::memory_order_relaxed);
  while (most < now &&
         !s.most_running.compare_exchange_weak(most, now, std::memory_order_relaxed)) {
  }
  std::uint64_t partial = 0;
  over_slices(config, worker, chunk, "my sum", [&](Chunk part) {
    ptut::add_private(partial, part, config.options.work);
    return partial;
  });
  s.total.fetch_add(partial, std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------

// A row per variant, by hand:
// clang-format off
// [variants]
// The variants, chosen once by name: the kind, what each thread does with its
// chunk, and where the total is read from once every thread has been joined.
struct Way {
  ptut::Variant variant;  // the name --variant takes, its line in --help
  Kind kind;
  bool with_reader;      // a reader thread reads the total while the threads add
  bool core_per_thread;  // it spins in turn: each thread needs a core of its own
  void (*thread)(Shared& shared, const Config& config, unsigned worker, Chunk chunk);
  std::uint64_t (*total)(const Shared& shared);
};
std::uint64_t atomic_total(const Shared& s) {
  return s.total.load(std::memory_order_relaxed);
}
std::uint64_t guarded_total(const Shared& s) {
  return s.guarded.total;
}
// Columns after the name: kind, a reader while running, a core per thread.
const Way kWays[] = {
    {{"statistical", "a slot per thread on its own cache lines, read by a reader "
      "thread while the threads add (perfbook's statistical counter)"},
     Kind::counter, true, false, statistical_thread,
     [](const Shared& s) { return s.counter.read(); }},
    {{"shared_atomic", "one shared std::atomic, a fetch_add per element"},
     Kind::counter, false, false, shared_atomic_thread, atomic_total},
    {{"limit", "batches of --batch elements taken from one shared counter that "
      "stops at N (a limit counter), summed privately"},
     Kind::counter, false, false, limit_thread, atomic_total},
    {{"mutex", "std::mutex around each element's update of one shared total"},
     Kind::lock, false, false, locked_thread<&Shared::mutex>, guarded_total},
    {{"tas", "a test-and-set spin lock (std::atomic_flag) around each update"},
     Kind::lock, false, false, locked_thread<&Shared::tas>, guarded_total},
    {{"ttas", "test-and-test-and-set with exponential backoff around each update"},
     Kind::lock, false, false, locked_thread<&Shared::ttas>, guarded_total},
    {{"ticket", "a ticket lock (first come, first served) around each update; "
      "at most one thread per core"},
     Kind::lock, false, true, locked_thread<&Shared::ticket>, guarded_total},
    {{"waiting", "a lock that sleeps with C++20 atomic wait/notify around each update"},
     Kind::lock, false, false, locked_thread<&Shared::waiting>, guarded_total},
    {{"barrier", "--phases phases; a std::barrier's completion step adds each "
      "phase's partials"},
     Kind::phased, false, false, phased_thread, atomic_total},
    {{"semaphore", "a std::counting_semaphore lets at most --permits threads sum "
      "at once"},
     Kind::bounded, false, false, bounded_thread, atomic_total},
};
// [variants]
// clang-format on

}  // namespace

std::string refusal(const Config& config) {
  const Way& way = ptut::find_variant(kWays, config.options.variant);
  const unsigned cores = ptut::describe_machine().usable_cores;
  if (!way.core_per_thread || config.options.workers <= cores) return "";
  return "--workers: " + std::to_string(config.options.workers) + " threads on " +
         std::to_string(cores) + " cores: a ticket lock's threads spin in turn, and a " +
         "turn whose thread has no core waits for the scheduler; at most " +
         std::to_string(cores) + " here";
}

unsigned permits_for(const Config& config) {
  const unsigned wanted =
      config.permits != 0 ? config.permits : ptut::describe_machine().usable_cores;
  return std::clamp(wanted, 1u, config.options.workers);
}

ptut::ChapterSpec spec() {
  return {
      .target = "ch12_atomics",
      .title = "Chapter 12: atomics in depth",
      .about =
          "Chapter 12: the sum of 1..N with K threads, through counters and locks "
          "built from atomics, and C++20's latch, barrier and semaphore.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "statistical",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

// [run]
Result run(const Config& config) {
  const ptut::Options& options = config.options;
  const Way& way = ptut::find_variant(kWays, options.variant);
  if (const std::string refused = refusal(config); !refused.empty())
    throw std::invalid_argument(refused);
  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);
  Shared shared(config);
  Result result;

  const ptut::Stopwatch stopwatch;
  {
    std::jthread reader;  // stopped and joined at the end of this block
    if (way.with_reader && !config.show_steps) {
      reader = std::jthread([&](std::stop_token stop) {
        if (ptut::trace::on) ptut::trace::name_thread("reader");
        read_while_running(
            stop, [&way, &shared] { return way.total(shared); }, config.read_every,
            result);
      });
    }
    ptut::run_thread_team(
        options.workers,
        [&](unsigned worker) {
          ptut::pin_to_core(worker);
          way.thread(shared, config, worker, chunks[worker - 1]);
        },
        config.unstartable_worker);
  }
  result.seconds = stopwatch.seconds();
  result.sum = way.total(shared);
  result.kind = way.kind;
  result.batches = shared.batches.load();
  result.acquisitions = shared.guarded.granted.load();
  result.handoffs = shared.guarded.handoffs;
  result.longest_wait =
      *std::max_element(shared.longest_wait.begin(), shared.longest_wait.end());
  result.phase_totals = shared.phase_totals;
  result.permits = permits_for(config);
  result.most_running = shared.most_running.load();
  return result;
}
// [run]

}  // namespace ch12
