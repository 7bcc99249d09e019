// Chapter 5's approach alone: a work queue. The parent puts chunks of 1..N on a
// task queue (a Boost.Interprocess message_queue, in shared memory); K forked
// workers each take the next chunk when free and put its sum on a result queue,
// until a stop message ends them.      build/bin/ch05_core [N [K]]  (N = 20, K = 2)
#include <sys/wait.h>
#include <unistd.h>

#include <boost/interprocess/ipc/message_queue.hpp>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/work.hpp"

namespace bip = boost::interprocess;

struct Message {
  std::uint64_t first, last, partial, worker;  // a chunk (last 0: stop), or its sum
};

// A queue's name outlives every process: the parent removes it on every way out.
struct Removed {
  std::string name;
  ~Removed() { bip::message_queue::remove(name.c_str()); }
};

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, 4 * workers);
  const Removed task_name{ptut::ipc_name("ch05", getpid(), "core_tasks")};
  const Removed result_name{ptut::ipc_name("ch05", getpid(), "core_results")};
  // Room for every message: the parent sends them all before it reads a result.
  bip::message_queue tasks(bip::create_only, task_name.name.c_str(),
                           chunks.size() + workers, sizeof(Message));
  bip::message_queue results(bip::create_only, result_name.name.c_str(), chunks.size(),
                             sizeof(Message));
  std::size_t size = 0;   // receive() reports each message's size and priority:
  unsigned priority = 0;  // always one whole Message, at priority 0

  std::vector<pid_t> children;
  for (unsigned w = 0; w < workers; ++w) {
    const pid_t pid = fork();
    if (pid == 0) {  // never returns, or it would remove the queues on its way out
      try {
        for (Message task{};;) {
          tasks.receive(&task, sizeof task, size, priority);  // waits for a chunk
          if (task.last == 0) _exit(0);
          const Message result{task.first, task.last,
                               ptut::sum_range({task.first, task.last}, 0), w + 1};
          results.send(&result, sizeof result, 0);
        }
      } catch (const bip::interprocess_exception& error) {
        std::fprintf(stderr, "worker %u: %s\n", w + 1, error.what());
        _exit(1);
      }
    }
    if (pid < 0) break;  // the workers that started share all the chunks
    children.push_back(pid);
  }
  if (children.size() < workers) std::perror("fork");
  if (children.empty()) return 1;  // nobody to send the work to
  auto put = [&tasks](const Message& task) { tasks.send(&task, sizeof task, 0); };
  for (const ptut::Chunk& chunk : chunks) put({chunk.first, chunk.last, 0, 0});
  for (std::size_t k = 0; k < children.size(); ++k) put({0, 0, 0, 0});  // a stop each
  std::uint64_t sum = 0;  // of results as they come; the full program watches the workers
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    Message result{};
    results.receive(&result, sizeof result, size, priority);
    std::printf("worker %" PRIu64 ": %s, partial sum %" PRIu64 "\n", result.worker,
                ptut::describe({result.first, result.last}).c_str(), result.partial);
    sum += result.partial;
  }
  for (const pid_t child : children)  // again when a signal interrupts the wait
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) continue;
  return children.size() == workers ? ptut::report_sum(sum, n) : 1;  // then ~Removed
}
