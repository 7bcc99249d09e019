// Chapter 3, top to bottom: the six ways a thread adds its chunk into the total,
// the thread's body, and the caller that starts, joins and checks the threads.
#include "threads_atomics.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <latch>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace ch03 {
namespace {

using ptut::Chunk;

// What the threads of one run share: all of it, since they share the address space.
struct Shared {
  explicit Shared(unsigned workers) : packed(workers), padded(workers), partials(workers, 0) {}
  std::atomic<std::uint64_t> total{0};  // racy, atomic
  std::mutex mutex;                     // mutex: guards locked_total
  std::uint64_t locked_total = 0;
  std::vector<PackedSlot> packed;       // false_sharing
  std::vector<PaddedSlot> padded;       // padded
  std::vector<std::uint64_t> partials;  // partials: one per thread, written once
};

// ---------------------------------------------------------------------------
// The variants: what one thread does with a part of its chunk.

// [racy]
// Read the shared total, add, write it back: the article's `+=`. Two threads can
// read the same value, and the second write then erases the first. Atomic loads
// and stores make the race one of logic, with defined behaviour: we can count
// what it loses.
void add_racy(std::atomic<std::uint64_t>& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    const std::uint64_t seen = total.load(std::memory_order_relaxed);
    total.store(seen + value, std::memory_order_relaxed);
  }
}
// [racy]

// [mutex]
// One thread at a time: exact, and every element now waits for a lock that the
// other threads want too.
void add_locked(std::mutex& mutex, std::uint64_t& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    const std::lock_guard lock(mutex);
    total += value;
  }
}
// [mutex]

// [atomic]
// One indivisible read-modify-write per element. Relaxed: each addition only has
// to be atomic; nothing else is published through the total, and join() makes
// every thread's additions visible to the caller.
void add_atomic(std::atomic<std::uint64_t>& total, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    total.fetch_add(ptut::element(i, work), std::memory_order_relaxed);
  }
}
// [atomic]

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

// [partials]
// Sum privately, in a local variable the other threads cannot see, and publish
// once, at the end (in thread_main).
std::uint64_t add_private(Chunk part, unsigned work) { return ptut::sum_range(part, work); }
// [partials]

// ---------------------------------------------------------------------------
// One thread.

void thread_main(const Config& config, Shared& shared, unsigned worker, Chunk chunk,
                 std::latch& start_line) {
  ptut::pin_to_core(worker);
  start_line.arrive_and_wait();  // all threads start together, or nothing races

  const std::string& variant = config.options.variant;
  const unsigned work = config.options.work;
  const std::uint64_t halfway = chunk.first + chunk.size() / 2;
  const std::uint64_t slice = config.show_steps ? 1 : chunk.size() / 2 + 1;
  const std::string who = "thread " + std::to_string(worker);
  std::uint64_t partial = 0;
  for (std::uint64_t first = chunk.first; first < chunk.last; first += slice) {
    if (config.throwing_worker == worker && first >= halfway) {
      throw std::runtime_error("injected fault: gave up at element " + std::to_string(first));
    }
    const Chunk part{first, std::min(chunk.last, first + slice)};
    std::uint64_t shown = 0;
    if (variant == "racy") {
      add_racy(shared.total, part, work);
      shown = shared.total.load(std::memory_order_relaxed);
    } else if (variant == "mutex") {
      add_locked(shared.mutex, shared.locked_total, part, work);
      const std::lock_guard lock(shared.mutex);
      shown = shared.locked_total;
    } else if (variant == "atomic") {
      add_atomic(shared.total, part, work);
      shown = shared.total.load(std::memory_order_relaxed);
    } else if (variant == "false_sharing") {
      add_to_own_slot(shared.packed[worker - 1], part, work);
      shown = shared.packed[worker - 1].value.load(std::memory_order_relaxed);
    } else if (variant == "padded") {
      add_to_own_slot(shared.padded[worker - 1], part, work);
      shown = shared.padded[worker - 1].value.load(std::memory_order_relaxed);
    } else {
      partial += add_private(part, work);
      shown = partial;
    }
    if (config.show_steps) {
      const bool own = variant == "partials" || variant == "false_sharing" || variant == "padded";
      ptut::print_step(who, first, own ? "my sum" : "shared total", shown);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  if (config.throwing_worker == worker && chunk.empty()) {
    throw std::runtime_error("injected fault: gave up before the first element");
  }
  shared.partials[worker - 1] = partial;  // publish once; join() makes it visible
}

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch03_threads_atomics",
      .title = "Chapter 3: threads and atomics",
      .about = "Chapter 3: the sum of 1..N with K std::jthreads in one process. Threads "
               "share all memory: the variants show a race, three fixes, and false sharing.",
      .variants = {{"racy", "load, add, store one shared std::atomic per element; loses updates", false},
                   {"mutex", "a std::mutex around each update of one shared total; exact", true},
                   {"atomic", "fetch_add on one shared std::atomic per element; exact", true},
                   {"false_sharing", "each thread adds into its own slot of a packed array, per "
                                     "element; exact, slots share a cache line", true},
                   {"padded", "the same with each slot on its own 64-byte cache line; exact", true},
                   {"partials", "each thread sums into a local variable and publishes once; "
                                "exact and fast", true}},
      .default_variant = "partials",
      .has_workers = true,
      .no_workers_reason = "",
  };
}

// [run]
ptut::RunResult run(const Config& config) {
  const ptut::Options& options = config.options;
  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);
  Shared shared(options.workers);
  std::latch start_line(options.workers);
  std::vector<std::exception_ptr> errors(options.workers);
  std::string start_failure;

  const ptut::Stopwatch stopwatch;
  {
    std::vector<std::jthread> threads;
    threads.reserve(options.workers);
    for (unsigned w = 0; w < options.workers; ++w) {
      try {
        if (config.unstartable_worker == w + 1) {
          throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
        }
        threads.emplace_back([&, w] {
          try {
            thread_main(config, shared, w + 1, chunks[w], start_line);
          } catch (...) {
            errors[w] = std::current_exception();  // carried to the caller, not std::terminate
          }
        });
      } catch (...) {
        // The threads already started wait at the start line: let them through
        // first, or their joins below would wait for ever.
        start_line.count_down(options.workers - w);
        start_failure = "could not start thread " + std::to_string(w + 1);
        try {
          throw;
        } catch (const std::exception& error) {
          start_failure += std::string(": ") + error.what();
        } catch (...) {
        }
        break;
      }
    }
  }  // each std::jthread joins in its destructor: every thread has ended here
  const double seconds = stopwatch.seconds();

  if (!start_failure.empty()) throw RunFailed(start_failure);
  for (unsigned w = 0; w < options.workers; ++w) {
    if (!errors[w]) continue;
    try {
      std::rethrow_exception(errors[w]);
    } catch (const std::exception& error) {
      throw RunFailed("thread " + std::to_string(w + 1) + " threw: " + error.what());
    } catch (...) {
      throw RunFailed("thread " + std::to_string(w + 1) + " threw a non-standard exception");
    }
  }

  ptut::RunResult result;
  result.seconds = seconds;
  const std::string& variant = options.variant;
  if (variant == "racy" || variant == "atomic") {
    result.sum = shared.total.load(std::memory_order_relaxed);
  } else if (variant == "mutex") {
    result.sum = shared.locked_total;
  } else if (variant == "false_sharing") {
    for (const PackedSlot& slot : shared.packed) result.sum += slot.value.load(std::memory_order_relaxed);
  } else if (variant == "padded") {
    for (const PaddedSlot& slot : shared.padded) result.sum += slot.value.load(std::memory_order_relaxed);
  } else {
    for (std::uint64_t partial : shared.partials) result.sum += partial;
  }
  return result;
}
// [run]

}  // namespace ch03
