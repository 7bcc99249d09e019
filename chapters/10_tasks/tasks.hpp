/// \file
/// \brief Chapter 10: the sum as tasks: futures, thread pools and work stealing,
/// C++'s answer to Python's `multiprocessing.Pool.map` and `concurrent.futures`.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/failure.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"

/// Chapter 10: tasks.
namespace ch10 {

/// The most tasks a run may have. Each holds a future and a queued function
/// (about a hundred bytes each), and `async` a thread: a million is already far
/// past the point where tasks cost more than they do (see the page's sweep).
inline constexpr std::uint64_t kMaxTasks = 1'000'000;

/// `--hang-timeout` when it is not given: seconds without progress (no task
/// finishing a block of its elements) before a running task is reported stuck.
inline constexpr double kDefaultHangTimeout = 5.0;

/// A failure to inject into one task, to watch the caller cope with it.
enum class FaultKind {
  none,       ///< no fault
  exception,  ///< the task throws halfway through its chunk (`--fault T:throw`)
  hang,       ///< the task never ends, a thread stuck in a call (`--fault T:hang`)
};

/// What `--fault TASK:KIND` takes for KIND.
inline constexpr ptut::Named<FaultKind> kFaultKinds[] = {{"throw", FaultKind::exception},
                                                         {"hang", FaultKind::hang}};

/// Which task fails (1-based; 0 for none), and how.
using Fault = ptut::Fault<FaultKind>;

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line
  /// `--chunk`: elements per task; 0 for ptut::default_chunk() (8 tasks per worker)
  std::uint64_t chunk = 0;
  unsigned skew = 0;  ///< `--skew`: element i costs skew × (i − 1) / N more rounds
  Fault fault;        ///< `--fault T:KIND`: a task to fail, if any, and how
  double hang_timeout = kDefaultHangTimeout;  ///< `--hang-timeout`
  bool show_steps = false;  ///< print a line per task as it finishes (small N)
};

/// The tasks of one run: 1..n cut into chunks, numbered from 1 in order.
using Plan = ptut::TaskPlan;

/// The plan `config` asks for: static's one task per worker, or `--chunk`'s.
[[nodiscard]] Plan plan_of(const Config& config);

/// A run that failed: a task threw (or could not start), and the run stopped.
using RunFailed = ptut::RunFailed;

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Whether `variant` runs its tasks on oneTBB (ThreadSanitizer cannot see into it).
[[nodiscard]] bool on_onetbb(std::string_view variant);

/// Whether `variant` makes one task per worker (and so refuses `--chunk`).
[[nodiscard]] bool one_task_per_worker(std::string_view variant);

/// What a run reports beyond its sum and time: how the work was cut into tasks,
/// and how the threads shared them.
struct TaskFacts : ptut::RunResult {
  std::uint64_t tasks = 0;    ///< tasks the run made
  std::uint64_t chunk = 0;    ///< the largest task's size
  unsigned skew = 0;          ///< `--skew`, so a JSON record says what was measured
  unsigned threads_used = 0;  ///< threads that ran at least one task
  /// Tasks each thread ran; absent where it would be long (async: a thread per task).
  std::optional<std::vector<std::uint64_t>> tasks_per_thread;
  double ns_per_task = 0.0;  ///< wall time over tasks: what one task costs, all in
};

/// The chapter's keys of `--json`: `tasks`, `chunk`, `skew`, `threads_used`,
/// `tasks_per_thread` (only where it is kept) and `ns_per_task`.
void to_json(nlohmann::json& json, const TaskFacts& facts);

/// Runs the variant `config.options.variant`.
/// \throws RunFailed when a task failed; a task that hangs ends the process
/// (exit 1, named on stderr): a thread cannot be stopped from outside.
[[nodiscard]] TaskFacts run(const Config& config);

}  // namespace ch10
