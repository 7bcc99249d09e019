/// \file
/// \brief What every variant of chapter 10 shares around its tasks: the task body
/// (a chunk's sum, with the injected faults and a check for a stop request), and
/// the caller's watch over the futures (a failure cancels the rest, a stuck task
/// ends the run).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "tasks.hpp"

namespace ch10 {

struct Watch;  // the caller's view of the tasks' progress while it waits (job.cpp)

/// One run's tasks, as the variants see them: how many, how many threads, and
/// run_task(), the body each variant hands to its threads in its own way.
class Job {
 public:
  /// A job of `plan`'s tasks, run as `config` asks.
  Job(const Config& config, Plan plan);

  /// How many tasks.
  [[nodiscard]] std::uint64_t tasks() const noexcept { return plan_.count(); }
  /// The job's tasks.
  [[nodiscard]] const Plan& plan() const noexcept { return plan_; }
  /// How many threads the variant should use (`--workers`).
  [[nodiscard]] unsigned threads() const noexcept { return config_.options.workers; }

  /// The body of task `number` (1-based): the sum of its chunk. It returns 0
  /// without summing when the run was stopped before it started, and stops early
  /// (returning a partial sum nobody adds) when a stop is requested while it
  /// runs: a task checks between blocks of its chunk, as a long computation
  /// should. Throws the fault it was given.
  std::uint64_t run_task(std::uint64_t number);

  /// What a variant does to stop work it has not started yet, called once on
  /// the first failure. Returns true when tasks not yet started will now never
  /// start (a pool that drops its queue), false when they will still run (and
  /// return at once: the stop was requested).
  using Cancel = std::function<bool()>;

  /// Waits for every future, in task order, and adds up the results. On the
  /// first task that fails: requests a stop, calls `cancel`, waits for what still
  /// runs, and throws RunFailed naming the task, its exception's message and
  /// what was cancelled. A task without progress for `--hang-timeout` ends the
  /// process instead (see abandon_stuck()).
  std::uint64_t collect(std::vector<std::future<std::uint64_t>>& results,
                        const Cancel& cancel);

  /// The same watch for a variant without a future per task: waits until
  /// `finished` is ready (returning as soon as it is, not at the next look),
  /// calling `cancel` on the first failure; a hang ends the process.
  void watch(std::future<void>& finished, const Cancel& cancel);

  /// For `async`: the system refused the thread of task `number` (`why`). Stops
  /// the tasks already `started`, waits for them, and throws RunFailed.
  [[noreturn]] void fail_to_start(std::uint64_t number, const std::string& why,
                                  std::vector<std::future<std::uint64_t>>& started);

  /// Throws RunFailed for the first task that failed, with `message` (what its
  /// exception said), once everything has stopped.
  [[noreturn]] void fail(const std::string& message) const;

  /// The first task that failed (1-based), 0 while none has.
  [[nodiscard]] std::uint64_t failed_task() const noexcept {
    return failed_task_.load(std::memory_order_acquire);
  }

  /// For `--trace`: the calling thread submits every task, so a task that another
  /// thread runs was stolen from it (its span is "stolen task", not "task").
  void note_submitter() noexcept { submitter_ = std::this_thread::get_id(); }

  /// How many threads ran at least one task, and how many tasks each.
  [[nodiscard]] std::vector<std::uint64_t> tasks_per_thread() const;

 private:
  enum class State : unsigned char { queued, running, done, failed, stopped };
  class Blocks;  // a task's chunk in blocks, and the hooks between them (job.cpp)

  std::uint64_t sum_task(std::uint64_t number);  // the body the page shows
  std::uint64_t never_started(std::uint64_t number);

  void tick(Watch& watch);
  [[noreturn]] void abandon_stuck(double quiet_seconds) const;
  unsigned this_thread_number();
  void show(std::uint64_t number, ptut::Chunk chunk, std::uint64_t sum, unsigned thread);

  const Config& config_;
  Plan plan_;
  std::stop_source stop_;
  std::unique_ptr<std::atomic<State>[]> states_;
  std::unique_ptr<std::atomic<unsigned>[]> ran_on_;  // thread number, 0 before it ran
  std::atomic<std::uint64_t> progress_{0};           // blocks and tasks finished
  std::atomic<std::uint64_t> failed_task_{0};
  std::atomic<unsigned> threads_seen_{0};
  std::thread::id submitter_;  // note_submitter()'s thread; none for a shared queue
  std::uint64_t serial_;       // this job's number, for this_thread_number()
  std::uint64_t block_ = 1;    // elements between checks for a stop
};

}  // namespace ch10
