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
#include <thread>
#include <vector>

#include "ptut/ipc_names.hpp"
#include "ptut/machine.hpp"
#include "ptut/progress.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace ch05 {
namespace {

namespace bip = boost::interprocess;
using ptut::Chunk;
using namespace std::chrono_literals;

// Boost.Interprocess deadlines are absolute times on the UTC clock: a deadline
// computed from local_time() is off by the time zone (PITFALLS).
boost::posix_time::ptime in(std::chrono::milliseconds from_now) {
  return boost::posix_time::microsec_clock::universal_time() + boost::posix_time::milliseconds(from_now.count());
}

// [queues]
// A named message queue that only its creator removes: the destructor runs in
// the parent alone, since workers leave with _exit.
class OwnedQueue {
 public:
  OwnedQueue(std::string name, unsigned depth, std::size_t message_size)
      : name_(std::move(name)),
        queue_(std::make_unique<bip::message_queue>(bip::create_only, name_.c_str(), depth, message_size)) {}
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
// The worker: runs in the child.

// [worker]
int worker_main(const Config& config, bip::message_queue& tasks, bip::message_queue& results, unsigned worker) {
  ptut::pin_to_core(worker);
  bool faulted = false;
  for (;;) {
    Task task;
    std::size_t size = 0;
    unsigned priority = 0;
    // Every wait has a deadline; a worker whose parent is gone is killed by the
    // kernel (PR_SET_PDEATHSIG), so waiting again is safe.
    while (!tasks.timed_receive(&task, sizeof task, size, priority, in(1000ms))) {
    }
    if (config.fault_worker == worker && !faulted) {  // holding a task it will never finish
      faulted = true;
      if (config.fault == FaultKind::kill) raise(SIGKILL);
      if (config.fault == FaultKind::exit) _exit(3);
    }
    if (task.stop != 0) return 0;
    const Chunk chunk{task.first, task.last};
    const Result result{chunk.first, chunk.last,
                        skewed_sum(chunk, config.options.work, config.skew, config.options.n), worker,
                        task.number};
    if (config.show_steps) std::this_thread::sleep_for(2ms * chunk.size());
    while (!results.timed_send(&result, sizeof result, 0, in(1000ms))) {
    }
    if (config.options.variant == "static") return 0;  // one chunk each, as the article splits
  }
}
// [worker]

// The tasks of a run: the article's K equal chunks (static, empty ones included:
// every worker takes exactly one), or chunks of `chunk` elements (dynamic).
std::vector<Task> make_tasks(const Config& config) {
  const ptut::Options& options = config.options;
  std::vector<Task> tasks;
  if (options.variant == "static") {
    for (const Chunk& chunk : ptut::split_range(options.n, options.workers)) {
      tasks.push_back({chunk.first, chunk.last, 0, static_cast<std::uint32_t>(tasks.size())});
    }
    return tasks;
  }
  const std::uint64_t size = config.chunk != 0 ? config.chunk : default_chunk(options.n, options.workers);
  for (std::uint64_t first = 1; first <= options.n; first += std::min(size, options.n - first + 1)) {
    const std::uint64_t last = first + std::min(size, options.n - first + 1);
    tasks.push_back({first, last, 0, static_cast<std::uint32_t>(tasks.size())});
  }
  return tasks;
}

}  // namespace

unsigned queue_depth(unsigned workers) { return std::max(4U, 2 * workers); }

std::uint64_t default_chunk(std::uint64_t n, unsigned workers) {
  const std::uint64_t chunks = 8ULL * workers;
  return std::max<std::uint64_t>(1, (n + chunks - 1) / chunks);
}

// [skew]
std::uint64_t skewed_sum(Chunk chunk, unsigned work, unsigned skew, std::uint64_t n) {
  if (skew == 0 || chunk.size() == 0) return ptut::sum_range(chunk, work);
  // The rounds change only skew times along 1..n: sum each stretch of equal
  // rounds with the one loop every chapter uses.
  std::uint64_t sum = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last;) {
    const std::uint64_t level = skew * (i - 1) / n;
    const std::uint64_t next_level = ((level + 1) * n + skew - 1) / skew + 1;  // first i of level + 1
    const std::uint64_t end = std::min(chunk.last, next_level);
    sum += ptut::sum_range({i, end}, work + static_cast<unsigned>(level));
    i = end;
  }
  return sum;
}
// [skew]

ptut::ChapterSpec spec() {
  return {
      .target = "ch05_message_queues",
      .title = "Chapter 5: message queues",
      .about = "Chapter 5: a work queue. The parent puts chunks of 1..N on a bounded task queue; "
               "K forked workers take them as they become free and put partial sums on a result "
               "queue (Boost.Interprocess message_queue).",
      .variants = {{"dynamic", "many small chunks, taken by whichever worker is free; balances uneven work",
                    true},
                   {"static", "one chunk per worker, as the article splits the range", true}},
      .default_variant = "dynamic",
      .has_workers = true,
      .no_workers_reason = "",
  };
}

std::string queue_name(pid_t owner, const std::string& which) { return ptut::ipc_name("ch05", owner, which); }

// [run]
ptut::RunResult run(const Config& config) {
  const ptut::Options& options = config.options;
  const std::vector<std::string> removed = ptut::remove_stale_ipc_objects("ch05");

  // Declared first, destroyed last: the stop signals stay blocked until both
  // queues are removed, whatever happens.
  ptut::ChildProcesses children;
  const unsigned depth = queue_depth(options.workers);
  const OwnedQueue tasks(queue_name(getpid(), "tasks"), depth, sizeof(Task));
  const OwnedQueue results(queue_name(getpid(), "results"), depth, sizeof(Result));
  const std::vector<Task> chunks = make_tasks(config);
  const bool dynamic = options.variant == "dynamic";
  const std::size_t to_send = chunks.size() + (dynamic ? options.workers : 0);  // then a stop per worker

  const ptut::Stopwatch stopwatch;
  for (unsigned w = 0; w < options.workers; ++w) {
    children.start(w + 1, [&, w] { return worker_main(config, *tasks, *results, w + 1); });
  }

  ptut::RunResult outcome;
  std::vector<bool> received(chunks.size(), false);
  std::vector<std::uint64_t> chunks_by_worker(options.workers, 0);
  std::size_t sent = 0;
  std::size_t done = 0;
  std::uint64_t elements_done = 0;
  std::uint64_t queue_full = 0;
  double producer_blocked = 0;
  ptut::Progress progress(options.n);

  while (sent < to_send || done < chunks.size()) {
    // Produce: offer the next task, waiting at most 10 ms for room. A full queue
    // is backpressure: the workers are busy, and the parent waits for them.
    if (sent < to_send) {
      const Task message = sent < chunks.size() ? chunks[sent] : Task{0, 0, 1, 0};
      if (tasks->get_num_msg() >= depth) ++queue_full;  // this send will wait
      const double before = stopwatch.seconds();
      if (tasks->timed_send(&message, sizeof message, 0, in(10ms))) ++sent;
      producer_blocked += stopwatch.seconds() - before;
    }
    // Consume: take every result already there, or wait up to 50 ms for one when
    // there is nothing left to send. Never block on one queue while the other
    // may need us: workers blocked on a full result queue stop taking tasks.
    Result result;
    std::size_t size = 0;
    unsigned priority = 0;
    while (sent == to_send ? results->timed_receive(&result, sizeof result, size, priority, in(50ms))
                           : results->try_receive(&result, sizeof result, size, priority)) {
      if (size != sizeof result || result.number >= chunks.size() || received[result.number] ||
          result.worker < 1 || result.worker > options.workers || result.first != chunks[result.number].first ||
          result.last != chunks[result.number].last) {
        children.stop_all();
        throw ptut::RunFailed("a malformed result arrived (" + std::to_string(size) + " bytes, chunk " +
                              std::to_string(result.number) + ")");
      }
      received[result.number] = true;
      ++done;
      ++chunks_by_worker[result.worker - 1];
      outcome.sum += result.partial;
      elements_done += result.last - result.first;
      if (config.show_steps) {
        std::cout << "  worker " << result.worker << ": chunk " << result.number + 1 << " = " << result.first << ".."
                  << result.last - 1 << ", partial sum " << result.partial << '\n';
      }
      if (done == chunks.size()) break;
    }
    // Watch: a worker that died, or Ctrl-C.
    if (auto failure = children.poll(0ms)) throw ptut::RunFailed(*failure, children.interrupted());
    progress.update(elements_done);
  }
  // Every chunk is back; the workers have their stops (or, static, are done).
  if (auto failure = children.wait()) throw ptut::RunFailed(*failure, children.interrupted());
  // [run]

  outcome.seconds = stopwatch.seconds();
  outcome.extra["chunks"] = chunks.size();
  outcome.extra["chunk_size"] = dynamic ? (config.chunk != 0 ? config.chunk : default_chunk(options.n, options.workers))
                                        : (options.n + options.workers - 1) / options.workers;
  outcome.extra["chunks_by_worker"] = chunks_by_worker;
  outcome.extra["queue_depth"] = depth;
  outcome.extra["task_queue_full"] = queue_full;
  outcome.extra["producer_blocked_ms"] = producer_blocked * 1e3;
  outcome.extra["skew"] = config.skew;
  outcome.extra["removed"] = removed;
  return outcome;
}

}  // namespace ch05
