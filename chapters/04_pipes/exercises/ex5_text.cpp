// Exercise 5's solution: the partial sum sent as text, "55\n". A pipe carries
// bytes, not messages: one read() may return half a line, or a line and a half.
// So the parent keeps what it has read in a buffer, takes every complete line out
// of it, and keeps the rest for the next read. To make the point, each worker
// here writes its line one byte per write().
//
//   build/bin/ch04_ex5_text [N [K]]        (defaults: N = 20, K = 2)
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

// Reads a worker's pipe to its end; its one line, as a number, or nothing when the
// pipe did not hold exactly one line of digits.
std::optional<std::uint64_t> read_line_number(int fd) {
  std::string buffer;  // what has arrived and is not yet a whole line
  std::vector<std::string> lines;
  char bytes[256];
  for (;;) {
    const ssize_t got = read(fd, bytes, sizeof bytes);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // end-of-file (or an error: the check below fails)
    buffer.append(bytes, static_cast<std::size_t>(got));
    for (std::size_t end; (end = buffer.find('\n')) != std::string::npos;) {
      lines.push_back(buffer.substr(0, end));  // a complete line: take it out
      buffer.erase(0, end + 1);
    }
  }
  std::uint64_t number = 0;
  if (lines.size() != 1 || !buffer.empty()) return std::nullopt;  // a line cut short, say
  const std::string& line = lines[0];
  const auto [end, error] =
      std::from_chars(line.data(), line.data() + line.size(), number);
  if (error != std::errc{} || end != line.data() + line.size()) return std::nullopt;
  return number;
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  std::vector<int> read_ends;
  std::vector<pid_t> children;
  for (unsigned w = 0; w < workers; ++w) {
    int ends[2];
    if (pipe(ends) != 0) {
      std::perror("pipe");
      break;
    }
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
      for (const int fd : read_ends) close(fd);
      close(ends[0]);
      const std::string line = std::to_string(ptut::sum_range(chunks[w], 0)) + "\n";
      for (const char byte : line)  // a byte at a time: the reader must cope
        if (write(ends[1], &byte, 1) != 1) _exit(1);
      _exit(0);
    }
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
    const std::optional<std::uint64_t> partial = read_line_number(read_ends[w]);
    close(read_ends[w]);
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(children[w], &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (!partial || reaped != children[w] || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "worker %zu (pid %d) did not send one line\n", w + 1,
                   children[w]);
      all_ok = false;
      continue;
    }
    std::printf("worker %zu: %s, partial sum %" PRIu64 " (as text)\n", w + 1,
                ptut::describe(chunks[w]).c_str(), *partial);
    sum += *partial;
  }
  if (!all_ok) return 1;
  return ptut::report_sum(sum, n);
}
