// Exercise 6's solution: the core with POSIX message queues (mq_open, mq_send,
// mq_receive, mq_unlink) instead of Boost.Interprocess. The kernel keeps these
// queues, and bounds them: by default a queue holds at most 10 messages
// (/proc/sys/fs/mqueue/msg_max). So the parent cannot send every chunk before it
// reads a result; it sends without blocking while there is room and, when the
// task queue is full, takes a result first: the backpressure of chapter 5.
//
//   build/bin/ch05_ex6_posix_mq [N [K]]        (defaults: N = 20, K = 2)
#include <fcntl.h>
#include <mqueue.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/work.hpp"

struct Message {
  std::uint64_t first, last, partial, worker;  // a chunk (last 0: stop), or its sum
};

// A queue: opened by name, which must begin with '/', and unlinked by the parent
// on every way out (the workers leave by _exit, which runs no destructors).
struct Queue {
  std::string name;
  mqd_t queue;
  explicit Queue(const std::string& base) : name("/" + base) {
    mq_attr attributes{};
    attributes.mq_maxmsg = 10;  // what an ordinary user may ask for by default
    attributes.mq_msgsize = sizeof(Message);
    queue = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, &attributes);
  }
  ~Queue() {
    if (queue != static_cast<mqd_t>(-1)) mq_unlink(name.c_str());
  }
};

// mq_timedsend and mq_timedreceive take an absolute deadline on CLOCK_REALTIME.
timespec deadline(long milliseconds_from_now) {
  timespec when{};
  clock_gettime(CLOCK_REALTIME, &when);
  when.tv_nsec += milliseconds_from_now * 1'000'000;
  when.tv_sec += when.tv_nsec / 1'000'000'000;
  when.tv_nsec %= 1'000'000'000;
  return when;
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, 4 * workers);
  const Queue tasks(ptut::ipc_name("ch05", getpid(), "ex6_tasks"));
  const Queue results(ptut::ipc_name("ch05", getpid(), "ex6_results"));
  if (tasks.queue == static_cast<mqd_t>(-1) || results.queue == static_cast<mqd_t>(-1)) {
    std::perror("mq_open");
    return 1;
  }

  std::vector<pid_t> children;
  for (unsigned w = 0; w < workers; ++w) {
    const pid_t pid = fork();
    if (pid == 0) {  // sends block when the result queue is full: the parent drains it
      for (Message task{};;) {
        ssize_t got = 0;
        while ((got = mq_receive(tasks.queue, reinterpret_cast<char*>(&task), sizeof task,
                                 nullptr)) < 0 &&
               errno == EINTR) {
        }
        if (got != sizeof task) _exit(1);
        if (task.last == 0) _exit(0);
        const Message result{task.first, task.last,
                             ptut::sum_range({task.first, task.last}, 0), w + 1};
        if (mq_send(results.queue, reinterpret_cast<const char*>(&result), sizeof result,
                    0) != 0)
          _exit(1);
      }
    }
    if (pid < 0) break;
    children.push_back(pid);
  }
  if (children.size() < workers) std::perror("fork");
  if (children.empty()) return 1;

  // The tasks, then a stop for each worker. The parent never blocks for good: it
  // sends when there is room at once (a deadline of now), and otherwise waits a
  // little for a result; when none comes, it checks that no worker has ended.
  // (O_NONBLOCK would not do: the workers share the parent's open queue, flags and
  // all, and their receives would stop waiting too.)
  std::vector<Message> to_send;
  for (const ptut::Chunk& chunk : chunks)
    to_send.push_back({chunk.first, chunk.last, 0, 0});
  to_send.insert(to_send.end(), children.size(), Message{0, 0, 0, 0});
  std::uint64_t sum = 0;
  std::size_t sent = 0, received = 0;
  bool ok = true;
  while (ok && (received < chunks.size() || sent < to_send.size())) {
    if (sent < to_send.size()) {  // at once while results are due; then up to 100 ms
      const timespec when = deadline(received < chunks.size() ? 0 : 100);
      const auto* task = reinterpret_cast<const char*>(&to_send[sent]);
      if (mq_timedsend(tasks.queue, task, sizeof(Message), 0, &when) == 0) {
        ++sent;
        continue;
      }
    }
    if (received < chunks.size()) {  // the queue is full, or all is sent: a result
      Message result{};
      const timespec when = deadline(100);
      if (mq_timedreceive(results.queue, reinterpret_cast<char*>(&result), sizeof result,
                          nullptr, &when) == sizeof result) {
        std::printf("worker %" PRIu64 ": %s, partial sum %" PRIu64 "\n", result.worker,
                    ptut::describe({result.first, result.last}).c_str(), result.partial);
        sum += result.partial;
        ++received;
        continue;
      }
    }
    // Nothing moved for a while: a worker that failed would explain it. (One that
    // took its stop ends with status 0; that is no failure.)
    int status = 0;
    if (waitpid(-1, &status, WNOHANG) > 0 &&
        !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      std::fprintf(stderr, "a worker failed before the work was done\n");
      ok = false;
    }
  }
  if (!ok) {
    for (const pid_t child : children) kill(child, SIGKILL);  // they may wait for ever
  }
  for (const pid_t child : children)
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) continue;
  return ok ? ptut::report_sum(sum, n) : 1;
}
