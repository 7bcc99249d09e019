// Exercise 3's solution: a work queue that survives a worker's death. A worker
// says which chunk it took before it sums it, so the parent always knows what each
// worker holds. When one dies, the parent sends its chunk again and starts a
// replacement. A result may then arrive twice (the dead worker's, already in the
// queue, and its replacement's): chunks are numbered, and the parent keeps one.
//
//   build/bin/ch05_ex3_survive [N [K [D]]]   (worker D dies holding its first chunk)
#include <sys/wait.h>
#include <unistd.h>

#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/work.hpp"

namespace bip = boost::interprocess;

struct Task {
  std::uint64_t chunk;  // its number; kStop: leave
  std::uint64_t first, last;
};
struct Report {
  std::uint64_t worker, chunk;
  bool took;  // true: "I took it"; false: "here is its sum"
  std::uint64_t partial;
};
constexpr std::uint64_t kStop = ~std::uint64_t{0};

struct Removed {  // a queue's name outlives every process: removed on every way out
  std::string name;
  ~Removed() { bip::message_queue::remove(name.c_str()); }
};

[[noreturn]] void work(bip::message_queue& tasks, bip::message_queue& reports,
                       std::uint64_t worker, bool die_holding_first) {
  std::size_t size = 0;
  unsigned priority = 0;
  try {
    for (Task task{};;) {
      tasks.receive(&task, sizeof task, size, priority);
      if (task.chunk == kStop) _exit(0);
      const Report took{worker, task.chunk, true, 0};
      reports.send(&took, sizeof took, 0);
      if (die_holding_first) _exit(3);  // as if killed mid-chunk
      const Report done{worker, task.chunk, false,
                        ptut::sum_range({task.first, task.last}, 0)};
      reports.send(&done, sizeof done, 0);
    }
  } catch (const bip::interprocess_exception& error) {
    std::fprintf(stderr, "worker %" PRIu64 ": %s\n", worker, error.what());
    _exit(1);
  }
}

int main(int argc, char** argv) {
  unsigned doomed = 0;  // the worker that dies; 0: none
  const auto [n, workers] = ptut::core_args_with_worker(argc, argv, doomed);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, 4 * workers);
  const Removed task_name{ptut::ipc_name("ch05", getpid(), "ex3_tasks")};
  const Removed report_name{ptut::ipc_name("ch05", getpid(), "ex3_reports")};
  // Room for every chunk twice over (each may be sent again once) and every stop;
  // two reports a chunk, and one more for each chunk a dead worker took.
  bip::message_queue tasks(bip::create_only, task_name.name.c_str(),
                           2 * chunks.size() + 2 * workers, sizeof(Task));
  bip::message_queue reports(bip::create_only, report_name.name.c_str(),
                             4 * chunks.size() + 2 * workers, sizeof(Report));

  std::vector<bool> summed(chunks.size(), false);
  std::map<std::uint64_t, std::uint64_t> holding;  // worker → the chunk it took
  std::uint64_t sum = 0, done = 0, replacements = 0;
  const auto take_report = [&](const Report& report) {
    if (report.took) {
      holding[report.worker] = report.chunk;
    } else if (!summed[report.chunk]) {  // a second result for a chunk is dropped
      summed[report.chunk] = true;
      sum += report.partial;
      ++done;
    }
  };
  const auto send_chunk = [&](std::uint64_t c) {
    const Task task{c, chunks[c].first, chunks[c].last};
    tasks.send(&task, sizeof task, 0);
  };
  std::map<pid_t, std::uint64_t> alive;  // pid → worker number
  const auto start_worker = [&](std::uint64_t number, bool die_holding_first) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) work(tasks, reports, number, die_holding_first);
    if (pid >= 0) alive[pid] = number;
    return pid >= 0;
  };

  // The worker that is to die starts alone and takes the first chunk before the
  // others start: otherwise they might take every chunk before it takes one.
  std::uint64_t first_unsent = 0;
  if (doomed > 0 && start_worker(doomed, true)) {
    send_chunk(first_unsent++);
    Report took{};
    std::size_t size = 0;
    unsigned priority = 0;
    const auto limit = boost::posix_time::microsec_clock::universal_time() +
                       boost::posix_time::seconds(10);
    if (reports.timed_receive(&took, sizeof took, size, priority, limit))
      take_report(took);
  }
  for (unsigned w = 1; w <= workers; ++w) {
    if (w != doomed && !start_worker(w, false)) {  // the system said no: go on with fewer
      std::printf("worker %u could not start (fork: %s); the others go on\n", w,
                  std::strerror(errno));
      break;
    }
  }
  for (std::uint64_t c = first_unsent; c < chunks.size(); ++c) send_chunk(c);
  std::uint64_t next_worker = workers + 1;  // the replacements' numbers

  bool ok = !alive.empty();
  while (ok && done < chunks.size()) {
    Report report{};
    std::size_t size = 0;
    unsigned priority = 0;
    // Boost 1.74 wants a deadline on the universal-time clock (local time is wrong).
    const auto soon = boost::posix_time::microsec_clock::universal_time() +
                      boost::posix_time::milliseconds(20);
    if (reports.timed_receive(&report, sizeof report, size, priority, soon))
      take_report(report);
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {  // who has ended?
      const std::uint64_t worker = alive.at(pid);
      alive.erase(pid);
      // Its last reports are in the queue already: read them before judging.
      while (reports.try_receive(&report, sizeof report, size, priority))
        take_report(report);
      const auto held = holding.find(worker);
      if (held != holding.end() && !summed[held->second]) {
        const ptut::Chunk chunk = chunks[held->second];
        std::printf("worker %" PRIu64 " (pid %d) died holding chunk %s: sent again\n",
                    worker, pid, ptut::describe(chunk).c_str());
        const Task again{held->second, chunk.first, chunk.last};
        tasks.send(&again, sizeof again, 0);
      }
      ok = ++replacements <= workers && start_worker(next_worker, false);  // at most K
      if (ok) std::printf("worker %" PRIu64 " replaces it\n", next_worker++);
    }
  }
  const Task stop{kStop, 0, 0};
  for (std::size_t k = 0; k < alive.size(); ++k) tasks.send(&stop, sizeof stop, 0);
  for (const auto& [pid, worker] : alive) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
  }
  if (!ok) {
    std::fprintf(stderr, "too many workers died, or none could start\n");
    return 1;
  }
  return ptut::report_sum(sum, n);
}
