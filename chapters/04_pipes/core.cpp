// Chapter 4's approach alone: message passing. K forked workers share nothing
// with the parent; each sums its chunk of 1..N and writes one record, its
// partial sum, into a pipe of its own. The parent reads every pipe and adds.
//
//   build/bin/ch04_core [N [K]]        (defaults: N = 20, K = 2)
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

// One record per worker. It is far shorter than PIPE_BUF (4096 bytes), so one
// write() puts it into the pipe whole.
struct Record {
  std::uint64_t worker;
  std::uint64_t partial;
};

// Reads exactly `size` bytes, however many read() calls that takes; false at
// end-of-file (the worker ended without writing its record).
bool read_all(int fd, void* data, std::size_t size) {
  auto* next = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = read(fd, next, size);
    if (got < 0 && errno == EINTR) continue;  // a signal came before any byte: read again
    if (got <= 0) return false;
    next += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);

  std::vector<int> read_ends;
  std::vector<pid_t> children;
  for (unsigned w = 0; w < workers; ++w) {
    int ends[2];  // [0] the read end, [1] the write end
    if (pipe(ends) != 0) {
      std::perror("pipe");
      break;  // gather the workers already started, below
    }
    std::fflush(stdout);  // or the child inherits, and prints again, what is buffered
    const pid_t pid = fork();
    if (pid == 0) {  // the child: close every read end, write the record, leave
      for (const int fd : read_ends) close(fd);
      close(ends[0]);
      const Record record{w + 1, ptut::sum_range(chunks[w], 0)};
      std::printf("worker %u (pid %d): %s, partial sum %" PRIu64 "\n", w + 1, getpid(),
                  ptut::describe(chunks[w]).c_str(), record.partial);
      std::fflush(stdout);
      _exit(write(ends[1], &record, sizeof record) == sizeof record ? 0 : 1);
    }
    // The parent only reads. Its copy of the write end must go now: a reader sees
    // end-of-file only once every write end is closed, and the next child would
    // inherit this one.
    close(ends[1]);
    if (pid < 0) {
      std::perror("fork");
      close(ends[0]);
      break;
    }
    read_ends.push_back(ends[0]);
    children.push_back(pid);
  }

  std::uint64_t sum = 0;
  bool all_ok = children.size() == workers;
  for (std::size_t w = 0; w < children.size(); ++w) {
    Record record{};
    const bool got = read_all(read_ends[w], &record, sizeof record) &&
                     record.worker == w + 1;  // before waitpid
    close(read_ends[w]);
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(children[w], &status, 0);
    } while (reaped < 0 && errno == EINTR);  // a signal came first: wait again
    if (!got || reaped != children[w] || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "worker %zu (pid %d) ended without its record\n", w + 1,
                   children[w]);
      all_ok = false;
    }
    sum += got ? record.partial : 0;
  }
  if (!all_ok) return 1;
  return ptut::report_sum(sum, n);
}
