// Exercise 6's solution: one pipe for every worker. All K workers write their
// record into the same pipe. That is safe because a write() of at most PIPE_BUF
// bytes (4096 on Linux) goes into a pipe whole: records from two workers never
// interleave. The parent reads records until end-of-file, which comes when the
// last write end closes: its own (closed after the forks) and every worker's.
//
//   build/bin/ch04_ex6_one_pipe [N [K]]        (defaults: N = 20, K = 2)
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

struct Record {
  std::uint64_t worker;
  std::uint64_t partial;
};
static_assert(sizeof(Record) <= PIPE_BUF, "a record must go into the pipe whole");

// Reads exactly `size` bytes; false at end-of-file.
bool read_all(int fd, void* data, std::size_t size) {
  auto* next = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = read(fd, next, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    next += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  int ends[2];
  if (pipe(ends) != 0) {
    std::perror("pipe");
    return 1;
  }
  std::vector<pid_t> children;
  int fork_error = 0;
  for (unsigned w = 0; w < workers; ++w) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) {
      fork_error = errno;  // the workers started so far are still waited for
      break;
    }
    if (pid == 0) {
      close(ends[0]);
      const Record record{w + 1, ptut::sum_range(chunks[w], 0)};
      _exit(write(ends[1], &record, sizeof record) == sizeof record ? 0 : 1);
    }
    children.push_back(pid);
  }
  close(ends[1]);  // after the last fork: every worker has its own copy by now

  std::uint64_t sum = 0;
  std::vector<bool> heard(workers + 1, false);
  std::size_t records = 0;
  for (Record record{}; read_all(ends[0], &record, sizeof record);) {  // in any order
    if (record.worker < 1 || record.worker > workers || heard[record.worker]) break;
    heard[record.worker] = true;
    std::printf("worker %" PRIu64 ": %s, partial sum %" PRIu64 "\n", record.worker,
                ptut::describe(chunks[record.worker - 1]).c_str(), record.partial);
    sum += record.partial;
    ++records;
  }
  close(ends[0]);
  bool all_ok = children.size() == workers && records == workers;
  for (const pid_t child : children) {
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(child, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    all_ok = all_ok && reaped == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (fork_error != 0) {
    std::fprintf(stderr, "fork, for worker %zu: %s\n", children.size() + 1,
                 std::strerror(fork_error));
    return 1;
  }
  if (!all_ok) {
    std::fprintf(stderr, "%zu of %u records arrived\n", records, workers);
    return 1;
  }
  return ptut::report_sum(sum, n);
}
