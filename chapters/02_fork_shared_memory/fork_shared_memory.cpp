// Chapter 2, top to bottom: the four ways a worker adds its chunk into shared
// memory, the worker process, the shared segment, and the parent that forks,
// watches and reaps the workers.
#include "fork_shared_memory.hpp"

#include <boost/interprocess/anonymous_shared_memory.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <new>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/ipc_names.hpp"
#include "ptut/process.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace ch02 {

PlainProcessMutex::PlainProcessMutex() {
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  // Without this a pthread mutex may only be used by the threads of one process
  // (glibc then uses private futexes, which another process never wakes).
  pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
  const int error = pthread_mutex_init(&mutex_, &attributes);
  pthread_mutexattr_destroy(&attributes);
  if (error != 0) throw std::system_error(error, std::generic_category(), "pthread_mutex_init");
}

void PlainProcessMutex::lock() {
  if (const int error = pthread_mutex_lock(&mutex_)) throw std::system_error(error, std::generic_category(), "lock");
}

void PlainProcessMutex::unlock() { pthread_mutex_unlock(&mutex_); }

namespace {

namespace bip = boost::interprocess;
using ptut::Chunk;

// ---------------------------------------------------------------------------
// The variants: what one worker does with a part of its chunk.

// [racy]
// The article's `sumval.value += i`: read the shared total, add, write it back.
// Another worker's write between our read and our write is overwritten: a lost
// update. Each load and store is atomic, so this is a race on the logic, not the
// undefined behaviour of a plain data race.
void add_racy(SharedTotals& shared, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    const std::uint64_t seen = shared.total.load(std::memory_order_relaxed);
    shared.total.store(seen + value, std::memory_order_relaxed);
  }
}
// [racy]

// [locked]
// The article's fix, `with sumval.get_lock()`: the same update, one worker at a
// time. Exact, but every element now pays for a lock shared by every worker.
template <class Mutex>
void add_locked(SharedTotals& shared, Mutex& mutex, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    const std::uint64_t value = ptut::element(i, work);
    const std::scoped_lock lock(mutex);
    shared.locked_total += value;
  }
}
// [locked]

template <class Mutex>
std::uint64_t read_locked(const SharedTotals& shared, Mutex& mutex) {
  const std::scoped_lock lock(mutex);
  return shared.locked_total;
}

// [atomic]
// One indivisible read-modify-write per element: the hardware's lock instead of
// ours. Relaxed order is enough: nobody reads the total until every worker has
// been reaped, and waitpid orders everything the worker did before that.
void add_atomic(SharedTotals& shared, Chunk part, unsigned work) {
  for (std::uint64_t i = part.first; i < part.last; ++i) {
    shared.total.fetch_add(ptut::element(i, work), std::memory_order_relaxed);
  }
}
// [atomic]

// [partials]
// Share nothing while working: sum privately with the loop every chapter uses,
// and publish once, into this worker's own slot, at the end (in worker_main).
std::uint64_t add_private(Chunk part, unsigned work) { return ptut::sum_range(part, work); }
// [partials]

// ---------------------------------------------------------------------------
// The worker process.

// Elements between two progress reports (at most 65,536: well under a
// millisecond without --work), so the parent can show progress and tell a slow
// worker from a hung one.
std::uint64_t slice_size(unsigned work) {
  return std::max<std::uint64_t>(1, (std::uint64_t{1} << 16) / (work + 1));
}

[[noreturn]] void fail_as_told(FaultKind kind) {
  switch (kind) {
    case FaultKind::exit:
      _exit(3);
    case FaultKind::abort:
      std::abort();
    case FaultKind::hang:
    case FaultKind::none:
      break;
  }
  for (;;) pause();  // hang: no more progress, until the parent kills us
}

// Runs in the child. Its return value is the child's exit status.
int worker_main(const Config& config, SharedTotals& shared, WorkerSlot& slot, unsigned worker,
                Chunk chunk) {
  const std::string& variant = config.options.variant;
  const unsigned work = config.options.work;
  const bool faulty = config.fault.worker == worker;
  const std::uint64_t halfway = chunk.first + chunk.size() / 2;
  const std::uint64_t slice = config.show_steps ? 1 : slice_size(work);
  std::uint64_t partial = 0;

  ptut::pin_to_core(worker);
  // [start_line]
  shared.arrived.fetch_add(1, std::memory_order_acq_rel);
  while (shared.arrived.load(std::memory_order_acquire) < config.options.workers) sched_yield();
  // [start_line]
  for (std::uint64_t first = chunk.first; first < chunk.last; first += slice) {
    if (faulty && first >= halfway) fail_as_told(config.fault.kind);
    const Chunk part{first, std::min(chunk.last, first + slice)};
    std::uint64_t shown = 0;
    if (variant == "racy") {
      add_racy(shared, part, work);
      shown = shared.total.load(std::memory_order_relaxed);
    } else if (variant == "locked" && config.lock == Lock::timed) {
      add_locked(shared, shared.mutex, part, work);
      if (config.show_steps) shown = read_locked(shared, shared.mutex);
    } else if (variant == "locked") {
      add_locked(shared, shared.plain_mutex, part, work);
      if (config.show_steps) shown = read_locked(shared, shared.plain_mutex);
    } else if (variant == "atomic") {
      add_atomic(shared, part, work);
      shown = shared.total.load(std::memory_order_relaxed);
    } else {
      partial += add_private(part, work);
      shown = partial;
    }
    slot.done.store(part.last - chunk.first, std::memory_order_relaxed);
    if (config.show_steps) {
      const std::string who = "worker " + std::to_string(worker) + " (pid " + std::to_string(getpid()) + ")";
      ptut::print_step(who, first, variant == "partials" ? "my partial sum" : "shared total", shown);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  if (faulty) fail_as_told(config.fault.kind);  // a worker whose chunk is empty still fails
  // [publish]
  slot.partial.store(partial, std::memory_order_release);
  // [publish]
  slot.finished.store(true, std::memory_order_release);
  return 0;
}

// ---------------------------------------------------------------------------
// The shared segment.

// [anonymous]
// Anonymous or named shared memory holding a SharedTotals and one WorkerSlot per
// worker. A named segment is removed by the destructor, which runs only in the
// parent: workers leave with _exit.
class Segment {
 public:
  Segment(Memory memory, unsigned workers, pid_t owner)
      : size_(sizeof(SharedTotals) + workers * sizeof(WorkerSlot)) {
    if (memory == Memory::anonymous) {
      region_ = bip::anonymous_shared_memory(size_);
    } else {
      name_ = segment_name(owner);
      bip::shared_memory_object object(bip::create_only, name_.c_str(), bip::read_write);
      try {
        object.truncate(static_cast<bip::offset_t>(size_));
        region_ = bip::mapped_region(object, bip::read_write);
      } catch (...) {
        bip::shared_memory_object::remove(name_.c_str());
        throw;
      }
    }
    // [anonymous]
    totals_ = new (region_.get_address()) SharedTotals{};
    slots_ = reinterpret_cast<WorkerSlot*>(static_cast<char*>(region_.get_address()) +
                                           sizeof(SharedTotals));
    for (unsigned w = 0; w < workers; ++w) new (&slots_[w]) WorkerSlot{};
  }
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  // The objects are not destroyed: a worker that died may still hold the mutex,
  // and destroying a locked mutex is undefined. Unmapping the memory is enough.
  ~Segment() {
    if (!name_.empty()) bip::shared_memory_object::remove(name_.c_str());
  }

  [[nodiscard]] SharedTotals& totals() const { return *totals_; }
  [[nodiscard]] WorkerSlot& slot(unsigned index) const { return slots_[index]; }

 private:
  std::size_t size_;
  std::string name_;
  bip::mapped_region region_;
  SharedTotals* totals_ = nullptr;
  WorkerSlot* slots_ = nullptr;
};

// Notices a worker that stopped making progress, and shows progress on a terminal.
class Watchdog {
 public:
  Watchdog(const Segment& segment, const std::vector<Chunk>& chunks, const ptut::ChildProcesses& children,
           double hang_timeout, std::uint64_t n)
      : segment_(segment), chunks_(chunks), children_(children), hang_timeout_(hang_timeout),
        last_done_(chunks.size(), 0), last_change_(chunks.size(), 0.0), progress_(n) {}

  std::optional<std::string> operator()() {
    const double now = clock_.seconds();  // leaves out any time the whole job was stopped (Ctrl-Z)
    std::uint64_t total_done = 0;
    for (unsigned w = 0; w < chunks_.size(); ++w) {
      const std::uint64_t done = segment_.slot(w).done.load(std::memory_order_relaxed);
      total_done += done;
      const bool finished = segment_.slot(w).finished.load(std::memory_order_acquire);
      if (done != last_done_[w] || finished || exited(w + 1)) {
        last_done_[w] = done;
        last_change_[w] = now;
      } else if (now - last_change_[w] > hang_timeout_) {
        return "worker " + std::to_string(w + 1) + " made no progress for " +
               ptut::format_seconds(now - last_change_[w]) + " and was stopped as hung";
      }
    }
    progress_.update(total_done);
    return std::nullopt;
  }

 private:
  bool exited(unsigned worker) const {
    return std::any_of(children_.ended().begin(), children_.ended().end(),
                       [worker](const ptut::ChildEnd& end) { return end.worker == worker; });
  }

  const Segment& segment_;
  const std::vector<Chunk>& chunks_;
  const ptut::ChildProcesses& children_;
  double hang_timeout_;
  std::vector<std::uint64_t> last_done_;
  std::vector<double> last_change_;
  ptut::WatchdogClock clock_;
  ptut::Progress progress_;
};

}  // namespace

// ---------------------------------------------------------------------------
// The parent.

ptut::ChapterSpec spec() {
  return {
      .target = "ch02_fork_shared_memory",
      .title = "Chapter 2: fork and shared memory",
      .about = "Chapter 2: the article's program. K processes made with fork() add their "
               "chunks of 1..N into memory they share (Boost.Interprocess); the parent "
               "waits for them with waitpid().",
      .variants = {{"racy", "the article's sumval.value += i: load, add, store the shared "
                            "total per element; loses updates", false},
                   {"locked", "the article's fix: the same update under an interprocess_mutex; "
                              "exact and slow", true},
                   {"atomic", "fetch_add on one shared lock-free std::atomic per element; exact", true},
                   {"partials", "each worker sums its chunk privately and stores it once in its "
                                "own slot; exact and fast", true}},
      .default_variant = "partials",
      .has_workers = true,
      .no_workers_reason = "",
  };
}

std::string segment_name(pid_t owner) { return ptut::ipc_name("ch02", owner, "segment"); }

// [run]
ptut::RunResult run(const Config& config) {
  const ptut::Options& options = config.options;
  // What runs killed with SIGKILL left behind (before this run creates anything).
  const std::vector<std::string> removed = ptut::remove_stale_ipc_objects("ch02");

  // Declared first, destroyed last: SIGINT and SIGTERM stay blocked until the
  // segment below has been removed, whatever happens.
  ptut::ChildProcesses children;
  const Segment segment(config.memory, options.workers, getpid());
  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);

  const ptut::Stopwatch stopwatch;
  for (unsigned w = 0; w < options.workers; ++w) {
    children.start(w + 1, [&, w] {
      return worker_main(config, segment.totals(), segment.slot(w), w + 1, chunks[w]);
    });
  }
  Watchdog watchdog(segment, chunks, children, config.hang_timeout, options.n);
  if (const auto failure = children.wait(std::ref(watchdog))) {
    throw RunFailed(*failure, children.interrupted());
  }

  // Every worker has exited with status 0: nobody holds the mutex, and nothing
  // they wrote is still in flight.
  ptut::RunResult result;
  result.seconds = stopwatch.seconds();
  if (options.variant == "locked") {
    result.sum = segment.totals().locked_total;
  } else if (options.variant == "partials") {
    nlohmann::json partials = nlohmann::json::array();
    for (unsigned w = 0; w < options.workers; ++w) {
      const std::uint64_t partial = segment.slot(w).partial.load(std::memory_order_acquire);
      result.sum += partial;
      partials.push_back(std::to_string(partial));
    }
    result.extra["partials"] = partials;
  } else {
    result.sum = segment.totals().total.load(std::memory_order_relaxed);
  }
  // [run]
  result.extra["memory"] = config.memory == Memory::named ? "named" : "anonymous";
  if (options.variant == "locked") result.extra["lock"] = config.lock == Lock::plain ? "plain" : "timed";
  result.extra["removed"] = removed;
  return result;
}

}  // namespace ch02
