/// \file
/// \brief Chapter 5: a work queue. The parent puts chunks of 1..N on a bounded
/// task queue; K forked workers take them as they become free and put partial
/// sums on a result queue (Boost.Interprocess `message_queue`).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/process.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"

/// Chapter 5: message queues.
namespace ch05 {

// [messages]
/// A message on the task queue: a chunk of 1..N to sum, or the order to stop.
struct Task {
  std::uint64_t first = 0;   ///< the chunk's first element
  std::uint64_t last = 0;    ///< one past its last element
  std::uint64_t number = 0;  ///< the chunk's number, from 1 (N / chunk may exceed 2^32)
  std::uint64_t stop = 0;    ///< 1: no more work, exit
  /// The message that ends a worker.
  static constexpr Task stop_message() { return {.stop = 1}; }
};

/// A message on the result queue: one chunk done.
struct Result {
  std::uint64_t first = 0;    ///< the chunk it summed
  std::uint64_t last = 0;     ///< one past its last element
  std::uint64_t number = 0;   ///< the chunk's number
  std::uint64_t partial = 0;  ///< the chunk's sum
  std::uint64_t worker = 0;   ///< who summed it (1-based)
};
// [messages]

/// Messages each queue holds before a send must wait: a few per worker, enough
/// that a worker finds its next chunk waiting, few enough to show backpressure.
[[nodiscard]] unsigned queue_depth(unsigned workers);

/// A failure to inject into one worker, to watch the parent cope with it. It
/// strikes when the worker holds its first task; a worker that gets no task (more
/// workers than chunks) does not fail.
enum class FaultKind {
  none,  ///< no fault
  kill,  ///< the worker kills itself with SIGKILL after taking its first task
  exit,  ///< the worker exits with status 3 after taking its first task
};

/// What `--fault WORKER:KIND` takes for KIND.
inline constexpr ptut::Named<FaultKind> kFaultKinds[] = {{"kill", FaultKind::kill},
                                                         {"exit", FaultKind::exit}};

/// Which worker fails (1-based; 0 for none), and how.
using Fault = ptut::Fault<FaultKind>;

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line; variant `dynamic` or `static`
  std::uint64_t chunk =
      0;              ///< elements per task (`dynamic`); 0 for ptut::default_chunk()
  unsigned skew = 0;  ///< extra rounds per element at the end of the range
  Fault fault;        ///< a worker to fail, if any, and how
  /// Print each result as it arrives; each worker then pauses 2 ms per element,
  /// so that several take part even in a tiny run.
  bool show_steps = false;
};

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Whether `variant` gives each worker one chunk (and so refuses `--chunk`).
[[nodiscard]] bool one_chunk_each(std::string_view variant);

/// The name of queue `which` ("tasks" or "results") of the run of process `owner`.
[[nodiscard]] std::string queue_name(pid_t owner, const std::string& which);

/// What a run reports when a queue's lock could not be taken (Boost's lock timeout
/// threw `error`): its holder died. Names the first worker found ended when the
/// parent found out, then stops and reaps the others.
[[nodiscard]] ptut::RunFailed lock_failure(ptut::ChildProcesses& children,
                                           const std::string& error);

/// What a run reports beyond its sum and time: how the work was cut and shared,
/// and how often the bounded task queue held the parent back.
struct QueueFacts : ptut::RunResult {
  std::uint64_t chunks = 0;      ///< tasks the parent sent (stops not counted)
  std::uint64_t chunk_size = 0;  ///< elements in the largest task
  /// Chunks each worker summed, worker 1 first: uneven counts are the queue balancing.
  std::vector<std::uint64_t> chunks_by_worker;
  unsigned queue_depth = 0;  ///< messages the task queue holds before a send waits
  std::uint64_t task_queue_full = 0;  ///< tasks that found the task queue full
  double producer_waited = 0.0;  ///< seconds the parent waited for room on the task queue
  unsigned skew = 0;             ///< `--skew`, so a JSON record says what was measured
  /// Queues of dead runs removed before this one (names under /dev/shm).
  std::vector<std::string> removed;
};

/// The chapter's keys of `--json`: `chunks`, `chunk_size`, `chunks_by_worker`,
/// `queue_depth`, `task_queue_full`, `producer_waited_ms`, `skew` and `removed`.
void to_json(nlohmann::json& json, const QueueFacts& facts);

/// Runs the variant `config.options.variant` with `config.options.workers` forked
/// workers. Removes queues of dead runs first (and lists them in the result).
/// \throws ptut::RunFailed if a worker dies or a stop signal arrives; the queues
/// are gone by then.
[[nodiscard]] QueueFacts run(const Config& config);

}  // namespace ch05
