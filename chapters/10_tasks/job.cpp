// Chapter 10's plumbing around the tasks: the injected faults, the check for a
// stop request, and the caller's watch (failures cancel the rest; a task without
// progress ends the run, since a thread cannot be stopped from outside).
#include "job.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <thread>

#include "ptut/core.hpp"
#include "ptut/fault.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch10 {
namespace {

using namespace std::chrono_literals;

// How often the caller looks at the tasks while it waits.
constexpr auto kTick = 20ms;

// Each job gets a serial number, so that a thread that ran tasks of an earlier
// job (a benchmark runs many) is numbered afresh in the next.
std::atomic<std::uint64_t> jobs_started{0};

// What a task's fault does once ptut::FaultPlan says it is due: throw, halfway
// through its chunk, or hang at once, as a thread stuck in a call that never
// returns: it does not look at the stop request, and nothing outside the thread
// can end it.
[[noreturn]] void strike(FaultKind kind, std::uint64_t next, ptut::Chunk chunk) {
  if (kind == FaultKind::hang) {
    for (;;) std::this_thread::sleep_for(kTick);
  }
  throw std::runtime_error("injected fault: gave up at element " + std::to_string(next) +
                           " of " + ptut::describe(chunk));
}

}  // namespace

// What the caller saw of the tasks' progress, and since when it has not changed.
struct Watch {
  ptut::WatchdogClock clock;
  double quiet_since = 0;
  std::uint64_t seen_progress = 0;
};

Job::Job(const Config& config, Plan plan)
    : config_(config),
      plan_(std::move(plan)),
      states_(std::make_unique<std::atomic<State>[]>(plan_.count())),
      ran_on_(std::make_unique<std::atomic<unsigned>[]>(plan_.count())),
      serial_(jobs_started.fetch_add(1, std::memory_order_relaxed) + 1) {
  // A task checks for a stop every few milliseconds of work: about four million
  // rounds of ptut::element (a nanosecond or so each) between checks.
  const std::uint64_t rounds = 1ULL + config.options.work + config.skew;
  block_ = std::max<std::uint64_t>(1, (std::uint64_t{1} << 22) / rounds);
}

unsigned Job::this_thread_number() {
  thread_local std::uint64_t job = 0;
  thread_local unsigned number = 0;
  if (job != serial_) {
    job = serial_;
    number = threads_seen_.fetch_add(1, std::memory_order_relaxed) + 1;
    // The trace's track takes the number the JSON's tasks_per_thread counts by.
    if (ptut::trace::on) ptut::trace::name_thread("thread " + std::to_string(number));
  }
  return number;
}

// A task's chunk in blocks, with what the full program does around them and none
// of the approach: the task's state and thread for the caller's watch, a planned
// fault that strikes before the block that reaches it (a hanging task at once, a
// throwing one halfway: its blocks end there), progress after each block, a
// small run's steps, and the task's span on its thread's track for --trace.
class Job::Blocks {
 public:
  Blocks(Job& job, std::uint64_t number)
      : job_(job),
        number_(number),
        chunk_(job.plan_.task(number)),
        fault_(job.config_.fault.worker, static_cast<unsigned>(number), chunk_,
               job.config_.fault.kind == FaultKind::hang ? 0 : chunk_.size()),
        halfway_(job.config_.fault.worker == number ? chunk_.first + chunk_.size() / 2
                                                    : chunk_.last),
        thread_(job.this_thread_number()),
        traced_(ptut::trace::on) {
    state().store(State::running, std::memory_order_release);
    job.ran_on_[number - 1].store(thread_, std::memory_order_relaxed);
    if (traced_) {
      const bool stolen = job.submitter_ != std::thread::id{} &&
                          job.submitter_ != std::this_thread::get_id();
      ptut::trace::begin(
          stolen ? "stolen task" : "task",
          {{"task", number}, {"first", chunk_.first}, {"last", chunk_.last}});
    }
  }
  ~Blocks() {
    if (traced_) ptut::trace::end();  // also when the task throws
  }
  Blocks(const Blocks&) = delete;
  Blocks& operator=(const Blocks&) = delete;

  class Iterator {
   public:
    explicit Iterator(Blocks* blocks) : blocks_(blocks) {
      if (blocks_ != nullptr) block_ = blocks_->starting_at(blocks_->chunk_.first);
    }
    const ptut::Chunk& operator*() const { return block_; }
    Iterator& operator++() {
      blocks_->job_.progress_.fetch_add(1, std::memory_order_relaxed);
      block_ = blocks_->starting_at(block_.last);
      return *this;
    }
    bool operator!=(const Iterator&) const { return block_.first < blocks_->chunk_.last; }

   private:
    Blocks* blocks_;
    ptut::Chunk block_{};
  };
  Iterator begin() { return Iterator(this); }
  Iterator end() { return Iterator(nullptr); }

  /// True when `block` is not the chunk's last.
  [[nodiscard]] bool more_after(const ptut::Chunk& block) const {
    return block.last < chunk_.last;
  }
  /// A stop request seen between two blocks: the partial sum is nobody's.
  std::uint64_t stopped() {
    state().store(State::stopped, std::memory_order_release);
    return 0;
  }
  /// The chunk's sum, with the task counted as done.
  std::uint64_t finished(std::uint64_t sum) {
    if (job_.config_.show_steps) {
      job_.show(number_, chunk_, sum, thread_);
      // A pause as long as the task, so that the threads visibly share the tasks.
      std::this_thread::sleep_for(ptut::kStepPause * chunk_.size());
    }
    state().store(State::done, std::memory_order_release);
    job_.progress_.fetch_add(1, std::memory_order_relaxed);
    return sum;
  }

 private:
  std::atomic<State>& state() { return job_.states_[number_ - 1]; }
  // The block from `first`; the fault strikes first if it is due there (an empty
  // chunk's too: it has no block, and its fault strikes all the same).
  ptut::Chunk starting_at(std::uint64_t first) {
    if ((first < chunk_.last || chunk_.empty()) && fault_.due(first))
      strike(job_.config_.fault.kind, first, chunk_);
    std::uint64_t last = std::min(chunk_.last, first + job_.block_);
    if (first < halfway_) last = std::min(last, halfway_);
    return {first, std::max(first, last)};
  }

  Job& job_;
  std::uint64_t number_;
  ptut::Chunk chunk_;
  ptut::FaultPlan fault_;
  std::uint64_t halfway_;
  unsigned thread_;
  bool traced_;
};

std::uint64_t Job::run_task(std::uint64_t number) {
  try {
    return sum_task(number);
  } catch (...) {
    std::uint64_t none = 0;
    failed_task_.compare_exchange_strong(none, number, std::memory_order_acq_rel);
    states_[number - 1].store(State::failed, std::memory_order_release);
    throw;  // into this task's future
  }
}

// [task_body]
std::uint64_t Job::sum_task(std::uint64_t number) {
  if (stop_.stop_requested()) return never_started(number);  // cancelled while queued
  Blocks blocks(*this, number);  // its chunk, a few milliseconds of work a block
  std::uint64_t sum = 0;
  for (const ptut::Chunk& block : blocks) {
    sum += ptut::sum_skewed(block, config_.options.work, config_.skew, config_.options.n);
    // Between two blocks, the task asks whether it should go on.
    if (blocks.more_after(block) && stop_.stop_requested()) return blocks.stopped();
  }
  return blocks.finished(sum);
}
// [task_body]

std::uint64_t Job::never_started(std::uint64_t number) {
  states_[number - 1].store(State::stopped, std::memory_order_release);
  return 0;
}

void Job::show(std::uint64_t number, ptut::Chunk chunk, std::uint64_t sum,
               unsigned thread) {
  char line[160];
  const int length =
      std::snprintf(line, sizeof line, "  thread %u, task %2llu: %s, partial sum %llu\n",
                    thread, static_cast<unsigned long long>(number),
                    ptut::describe(chunk).c_str(), static_cast<unsigned long long>(sum));
  if (length <= 0) return;
  ptut::write_line(STDOUT_FILENO,
                   std::string_view(line, std::min(static_cast<std::size_t>(length),
                                                   sizeof line - 1)));
}

void Job::tick(Watch& watch) {
  const double now = watch.clock.seconds();
  const std::uint64_t progress = progress_.load(std::memory_order_relaxed);
  if (progress != watch.seen_progress) {
    watch.seen_progress = progress;
    watch.quiet_since = now;
    return;
  }
  if (now - watch.quiet_since < config_.hang_timeout) return;
  for (std::uint64_t t = 0; t < tasks(); ++t) {
    if (states_[t].load(std::memory_order_acquire) == State::running)
      abandon_stuck(now - watch.quiet_since);
  }
  watch.quiet_since = now;  // nothing runs: the tasks are between a thread's hands
}

void Job::abandon_stuck(double quiet_seconds) const {
  std::string stuck;
  std::uint64_t finished = 0;
  for (std::uint64_t t = 0; t < tasks(); ++t) {
    const State state = states_[t].load(std::memory_order_acquire);
    if (state == State::running)
      stuck += (stuck.empty() ? "task " : ", task ") + std::to_string(t + 1);
    if (state == State::done) ++finished;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", quiet_seconds);
  ptut::write_line(
      STDERR_FILENO,
      std::string("ch10_tasks: ") + stuck + " made no progress for " + seconds +
          " s (--hang-timeout); " + ptut::counted(finished, "task", "tasks") + " of " +
          std::to_string(tasks()) +
          " finished. A thread cannot be stopped from outside: the program ends "
          "with it\n");
  std::fflush(stdout);
  // A --trace file is finished here, as exit() would have: the stuck task's span
  // is closed as "still open when the program ended".
  ptut::trace::finish_open_session();
  // Not exit(): it would run destructors, and a pool's destructor joins its
  // threads, this stuck one too. The process's end is what ends the thread.
  std::_Exit(ptut::kExitFailed);
}

std::uint64_t Job::collect(std::vector<std::future<std::uint64_t>>& results,
                           const Cancel& cancel) {
  const ptut::trace::Span waiting("wait");  // on the caller's track
  Watch watch;
  std::uint64_t sum = 0;
  std::string message = "(no message)";
  // The exception read last, kept until the run ends. get() shares it with the
  // task's shared state, which a pool thread may destroy meanwhile; held here, it
  // is freed by this thread. (The count that decides who frees it is in the C++
  // runtime, which ThreadSanitizer does not see: without this it reports the
  // pool thread's free racing with the what() read here.)
  std::exception_ptr kept;
  std::size_t next = 0;
  // In task order: the caller waits for the first unfinished task, a tick at a time.
  while (next < results.size() && failed_task() == 0) {
    if (results[next].wait_for(kTick) != std::future_status::ready) {
      tick(watch);
      continue;
    }
    try {
      sum += results[next++].get();  // rethrows what the task threw
    } catch (const std::exception& thrown) {
      kept = std::current_exception();
      std::uint64_t none = 0;  // thrown outside run_task (out of memory, say)
      failed_task_.compare_exchange_strong(none, next, std::memory_order_acq_rel);
      if (failed_task() == next) message = thrown.what();
    }
  }
  if (failed_task() == 0) return sum;

  // [cancel]
  // The first failure: ask every task to stop, let the variant drop what it has
  // not started, and wait for what still runs (it stops at its next check).
  stop_.request_stop();
  const bool dropped = cancel ? cancel() : false;
  for (std::size_t t = next; t < results.size(); ++t) {
    if (dropped && states_[t].load(std::memory_order_acquire) == State::queued) continue;
    while (results[t].wait_for(kTick) != std::future_status::ready) tick(watch);
    try {
      (void)results[t].get();
    } catch (const std::exception& thrown) {
      kept = std::current_exception();
      if (t + 1 == failed_task()) message = thrown.what();
    }
  }
  // [cancel]
  fail(message);
}

void Job::watch(std::future<void>& finished, const Cancel& cancel) {
  const ptut::trace::Span waiting("wait");  // on the caller's track
  Watch watch;
  bool cancelled = false;
  // wait_for, not a sleep: a run that ends between two looks is not made to wait
  // for the next one (a sleep of one tick cost every run up to 20 ms).
  while (finished.wait_for(kTick) != std::future_status::ready) {
    if (!cancelled && failed_task() != 0) {
      stop_.request_stop();
      if (cancel) cancel();
      cancelled = true;
    }
    tick(watch);
  }
}

void Job::fail_to_start(std::uint64_t number, const std::string& why,
                        std::vector<std::future<std::uint64_t>>& started) {
  stop_.request_stop();
  Watch watch;
  for (std::future<std::uint64_t>& result : started) {
    while (result.wait_for(kTick) != std::future_status::ready) tick(watch);
  }
  throw RunFailed("task " + std::to_string(number) + " could not start its thread (" +
                  why + ") with " + ptut::counted(started.size(), "thread", "threads") +
                  " started before it, one per task; those were stopped and joined");
}

void Job::fail(const std::string& message) const {
  std::uint64_t finished = 0, stopped = 0, never_started = 0;
  for (std::uint64_t t = 0; t < tasks(); ++t) {
    switch (states_[t].load(std::memory_order_acquire)) {
      case State::done:
        ++finished;
        break;
      case State::stopped:
        ++stopped;
        break;
      case State::queued:
        ++never_started;
        break;
      default:
        break;
    }
  }
  throw RunFailed("task " + std::to_string(failed_task()) + " failed: " + message +
                  ". Of " + ptut::counted(tasks(), "task", "tasks") + ", " +
                  std::to_string(finished) + " finished, " + std::to_string(stopped) +
                  " stopped at a check, " + std::to_string(never_started) +
                  " dropped before they started; nothing is left running");
}

std::vector<std::uint64_t> Job::tasks_per_thread() const {
  std::vector<std::uint64_t> counts(threads_seen_.load(std::memory_order_relaxed), 0);
  for (std::uint64_t t = 0; t < tasks(); ++t) {
    const unsigned thread = ran_on_[t].load(std::memory_order_relaxed);
    if (thread != 0 && thread <= counts.size()) ++counts[thread - 1];
  }
  return counts;
}

}  // namespace ch10
