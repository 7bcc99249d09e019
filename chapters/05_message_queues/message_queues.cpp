// Chapter 5, top to bottom: the work each chunk costs, the two named queues and
// their removal, the worker that takes tasks and returns results, and the parent
// that produces tasks, consumes results and watches the workers.
#include "message_queues.hpp"

#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "faults.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/machine.hpp"
#include "ptut/progress.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch05 {
namespace {

namespace bip = boost::interprocess;
using ptut::Chunk;
using namespace std::chrono_literals;

// Boost.Interprocess deadlines are absolute times on the UTC clock: a deadline
// computed from local_time() is off by the time zone (PITFALLS).
boost::posix_time::ptime deadline_in(std::chrono::milliseconds from_now) {
  return boost::posix_time::microsec_clock::universal_time() +
         boost::posix_time::milliseconds(from_now.count());
}

// How long a worker waits for a message before it looks again. Its parent's death
// ends it anyway (PR_SET_PDEATHSIG), so this only bounds each single wait.
constexpr auto kWorkerWait = 1000ms;
// How long the parent sleeps when it had nothing to send or receive; a SIGCHLD or
// a stop signal wakes it at once.
constexpr auto kParentIdle = 1ms;

// [queues]
// A named message queue that only its creator removes: the destructor runs in
// the parent alone, since workers leave with _exit.
class OwnedQueue {
 public:
  OwnedQueue(std::string name, unsigned depth, std::size_t message_size)
      : name_(std::move(name)) {
    try {
      queue_ = std::make_unique<bip::message_queue>(bip::create_only, name_.c_str(),
                                                    depth, message_size);
    } catch (const bip::interprocess_exception& error) {
      // Boost removes nothing when set-up fails after creating the name; we do,
      // unless the name was not ours to begin with.
      if (error.get_error_code() != bip::already_exists_error)
        bip::message_queue::remove(name_.c_str());
      throw;
    }
  }
  OwnedQueue(const OwnedQueue&) = delete;
  OwnedQueue& operator=(const OwnedQueue&) = delete;
  ~OwnedQueue() { bip::message_queue::remove(name_.c_str()); }

  bip::message_queue& operator*() const { return *queue_; }
  bip::message_queue* operator->() const { return queue_.get(); }

 private:
  std::string name_;
  std::unique_ptr<bip::message_queue> queue_;  // created only if the name was free
};
// [queues]

// ---------------------------------------------------------------------------
// The variants and the worker: runs in the child.

// [variants]
// The variants, chosen once by name: whether each worker takes one chunk (the
// article's split) or chunks come until a stop message.
struct Way {
  ptut::Variant variant;  // the name --variant takes, its line in --help
  bool one_chunk_each;
};
const Way kWays[] = {
    {{"dynamic",
      "many small chunks, taken by whichever worker is free; balances uneven work"},
     false},
    {{"static", "one chunk per worker, as the article splits the range"}, true},
};
// [variants]

// [waits]
// The next task. Each wait has a deadline, after which the worker simply waits
// again: the parent decides when a run is over, and kills its workers then.
Task next_task(bip::message_queue& tasks) {
  const ptut::trace::Span waiting("wait for a task");
  Task task;
  std::size_t size = 0;
  unsigned priority = 0;
  while (!tasks.timed_receive(&task, sizeof task, size, priority,
                              deadline_in(kWorkerWait))) {
  }
  return task;
}

void send_result(bip::message_queue& results, const Result& result) {
  const ptut::trace::Span sending("send");
  while (!results.timed_send(&result, sizeof result, 0, deadline_in(kWorkerWait))) {
  }
}

// [waits]

// A worker's two queues, with what the full program does around them and out of
// the worker's loop: a planned fault strikes as the worker receives its first
// task (holding a task it will never finish), and a small run paces each result
// so that every worker visibly takes part.
class WorkerQueues {
 public:
  WorkerQueues(const Config& config, bip::message_queue& tasks,
               bip::message_queue& results, unsigned worker)
      : config_(config),
        tasks_(tasks),
        results_(results),
        worker_(worker),
        fault_(config.fault.worker, worker, Chunk{}) {}

  unsigned worker() const { return worker_; }
  Task next() {
    const Task task = next_task(tasks_);
    if (fault_.due(task.first)) strike(config_.fault.kind);  // a stop message too
    return task;
  }
  void send(const Result& result) {
    if (config_.show_steps)
      std::this_thread::sleep_for(ptut::kStepPause * (result.last - result.first));
    send_result(results_, result);
  }

 private:
  const Config& config_;
  bip::message_queue& tasks_;
  bip::message_queue& results_;
  unsigned worker_;
  ptut::FaultPlan fault_;  // due at its first task
};

// [worker]
int worker_main(const Config& config, const Way& way, WorkerQueues& queues) {
  for (Task task = queues.next(); task.stop == 0; task = queues.next()) {
    const Chunk chunk{task.first, task.last};
    std::uint64_t sum = 0;
    {
      const ptut::trace::Span working(
          "chunk",
          {{"chunk", task.number}, {"first", chunk.first}, {"last", chunk.last}});
      sum = ptut::sum_skewed(chunk, config.options.work, config.skew, config.options.n);
    }
    queues.send({chunk.first, chunk.last, task.number, sum, queues.worker()});
    if (way.one_chunk_each) break;  // static: one chunk each, as the article splits
  }
  return 0;
}
// [worker]

// The chunks of a run (ptut::TaskPlan, chapter 10's too), computed when they are
// sent: with --chunk 1 there can be billions, too many to list in memory. Static:
// the article's K equal chunks, empty ones included, so that every worker takes
// exactly one. Dynamic: chunks of `chunk` elements.
class Plan {
 public:
  Plan(const Config& config, const Way& way)
      : tasks_(
            way.one_chunk_each
                ? ptut::TaskPlan::one_per_worker(config.options.n, config.options.workers)
                : ptut::TaskPlan::chunks_of(
                      config.options.n,
                      config.chunk != 0 ? config.chunk
                                        : ptut::default_chunk(config.options.n,
                                                              config.options.workers))) {}
  [[nodiscard]] std::uint64_t count() const { return tasks_.count(); }
  [[nodiscard]] std::uint64_t chunk_size() const { return tasks_.size(); }
  // Chunk `number`, 1..count(), as a message.
  [[nodiscard]] Task task(std::uint64_t number) const {
    const Chunk chunk = tasks_.task(number);
    return {chunk.first, chunk.last, number, 0};
  }
  // A result for a chunk of this plan, from a worker of this run? (Both ends are
  // this program, so a wrong one means a bug, not an attack.)
  [[nodiscard]] bool expects(const Result& result, std::size_t size,
                             unsigned workers) const {
    if (size != sizeof result || result.number < 1 || result.number > count() ||
        result.worker < 1 || result.worker > workers)
      return false;
    const Task task = this->task(result.number);
    return result.first == task.first && result.last == task.last;
  }

 private:
  ptut::TaskPlan tasks_;
};

}  // namespace

unsigned queue_depth(unsigned workers) {
  return std::max(4U, 2 * workers);
}

ptut::ChapterSpec spec() {
  return {
      .target = "ch05_message_queues",
      .title = "Chapter 5: message queues",
      .about =
          "Chapter 5: a work queue. The parent puts chunks of 1..N on a bounded task "
          "queue; "
          "K forked workers take them as they become free and put partial sums on a "
          "result "
          "queue (Boost.Interprocess message_queue).",
      .variants = ptut::variants_of(kWays),
      .default_variant = "dynamic",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

bool one_chunk_each(std::string_view variant) {
  return ptut::find_variant(kWays, variant).one_chunk_each;
}

std::string queue_name(pid_t owner, const std::string& which) {
  return ptut::ipc_name("ch05", owner, which);
}

// What the parent has gathered, and what the full program does with each result
// out of the parent's loop: a small run prints it, a long one shows progress.
class Gathered {
 public:
  explicit Gathered(const Config& config)
      : config_(config),
        chunks_by_worker_(config.options.workers, 0),
        progress_(config.options.n) {}

  void take(const Result& result) {
    ++done_;
    ++chunks_by_worker_[result.worker - 1];
    sum_ += result.partial;
    elements_done_ += result.last - result.first;
    if (config_.show_steps) {
      std::cout << "  worker " << result.worker << ": chunk " << result.number << " = "
                << (result.first < result.last ? std::to_string(result.first) + ".." +
                                                     std::to_string(result.last - 1)
                                               : "(empty)")
                << ", partial sum " << result.partial << '\n';
    }
  }
  // Between two looks at the queues.
  void show_progress() { progress_.update(elements_done_); }

  std::uint64_t done() const { return done_; }
  std::uint64_t sum() const { return sum_; }
  std::vector<std::uint64_t>& chunks_by_worker() { return chunks_by_worker_; }

 private:
  const Config& config_;
  std::uint64_t done_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t elements_done_ = 0;
  std::vector<std::uint64_t> chunks_by_worker_;
  ptut::Progress progress_;
};

// [run]
QueueFacts run(const Config& config) {
  const ptut::Options& options = config.options;
  const std::vector<std::string> removed = ptut::remove_stale_ipc_objects("ch05");

  // Declared first, destroyed last: the stop signals stay blocked until both
  // queues are removed, whatever happens. (Removing a queue's name does not
  // disturb processes that have it mapped, so the order is safe either way.)
  ptut::ChildProcesses children;
  const unsigned depth = queue_depth(options.workers);
  const OwnedQueue tasks(queue_name(getpid(), "tasks"), depth, sizeof(Task));
  const OwnedQueue results(queue_name(getpid(), "results"), depth, sizeof(Result));
  const Way& way = ptut::find_variant(kWays, options.variant);
  const Plan plan(config, way);
  // a stop per worker
  const std::uint64_t to_send = plan.count() + (way.one_chunk_each ? 0 : options.workers);

  const ptut::Stopwatch stopwatch;
  ptut::trace::Span starting("start workers");
  for (unsigned w = 0; w < options.workers; ++w) {
    children.start(w + 1, [&, w] {
      ptut::pin_to_core(w + 1);
      WorkerQueues queues(config, *tasks, *results, w + 1);
      return worker_main(config, way, queues);
    });
  }
  starting.close();
  ptut::trace::Span gathering("gather");

  Gathered gathered(config);
  std::uint64_t sent = 0;
  std::uint64_t found_full = 0;  // messages that found the task queue full
  double producer_waited = 0;    // seconds from finding it full to getting one in
  std::optional<double> full_since;

  // The parent never waits inside a queue: Boost's timed_send and timed_receive
  // wait on a condition variable, and taking the queue's lock back after that
  // wait has no time limit, so a worker killed while holding the lock would hang
  // us there. try_send and try_receive only take the lock, which gives up after
  // 1.5 s (see common/CMakeLists.txt). The waiting happens in poll(), where a
  // SIGCHLD or Ctrl-C ends it at once.
  try {
    while (sent < to_send || gathered.done() < plan.count()) {
      bool busy = false;
      // Produce. A full task queue is backpressure: the workers are busy, and
      // the parent waits for them instead of piling up work.
      if (sent < to_send) {
        const Task message =
            sent < plan.count() ? plan.task(sent + 1) : Task::stop_message();
        if (tasks->try_send(&message, sizeof message, 0)) {
          ++sent;
          busy = true;
          if (full_since) producer_waited += stopwatch.seconds() - *full_since;
          full_since.reset();
        } else if (!full_since) {
          ++found_full;
          full_since = stopwatch.seconds();
        }
      }
      // Consume every result already there. Never wait on one queue while the
      // other may need us: workers blocked on a full result queue take no tasks.
      Result result;
      std::size_t size = 0;
      unsigned priority = 0;
      while (gathered.done() < plan.count() &&
             results->try_receive(&result, sizeof result, size, priority)) {
        if (!plan.expects(result, size, options.workers)) {
          children.stop_all();
          throw ptut::RunFailed("a malformed result arrived (" + std::to_string(size) +
                                " bytes, chunk " + std::to_string(result.number) + ")");
        }
        busy = true;
        gathered.take(result);
      }
      // Watch: a worker that died, or Ctrl-C; sleep a little if there was nothing to do.
      if (auto failure = children.poll(busy ? 0ms : kParentIdle)) {
        throw ptut::RunFailed(*failure, children.interrupted());
      }
      gathered.show_progress();
    }
  } catch (const bip::interprocess_exception& error) {
    throw lock_failure(children, error.what());
  }
  // Every chunk is back; the workers have their stops (or, static, are done).
  gathering.close();
  const ptut::trace::Span waiting("wait");
  if (auto failure = children.wait())
    throw ptut::RunFailed(*failure, children.interrupted());
  // [run]

  QueueFacts outcome;
  outcome.sum = gathered.sum();
  outcome.seconds = stopwatch.seconds();
  outcome.chunks = plan.count();
  outcome.chunk_size = plan.chunk_size();
  outcome.chunks_by_worker = std::move(gathered.chunks_by_worker());
  outcome.queue_depth = depth;
  outcome.task_queue_full = found_full;
  outcome.producer_waited = producer_waited;
  outcome.skew = config.skew;
  outcome.removed = removed;
  return outcome;
}

}  // namespace ch05
