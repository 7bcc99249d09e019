// Chapter 4's approach alone: message passing. K forked workers share nothing with
// the parent; each sums its chunk of 1..N and writes one message, its partial sum,
// into a pipe of its own. The parent reads every pipe and adds.
//   g++ -std=c++20 -O2 core.cpp -o core && ./core 2000000 4
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

// The problem, the same in every core: `./core [N [K]]` sums 1..N with K workers.
std::uint64_t argument(const char* text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;  // from_chars: digits only, no sign, no space, no overflow
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
  if (error == std::errc{} && *end == '\0' && value >= low && value <= high) return value;
  std::fprintf(stderr, "%s: not '%s'; usage: [N [K]], N 0 to 6074000999, K 1 to 256\n",
               program_invocation_short_name, text);
  std::exit(2);
}
struct Chunk {  // part c of 1..N cut in `count`: first..last - 1, sizes within 1
  Chunk(std::uint64_t n, unsigned count, unsigned c)
      : first(1 + n * c / count), last(1 + n * (c + 1) / count) {}
  std::uint64_t first, last;
};
std::string describe(Chunk c) {  // "1..10", or "nothing"
  return c.first == c.last ? "nothing"
                           : std::to_string(c.first) + ".." + std::to_string(c.last - 1);
}
int report_sum(std::uint64_t sum, std::uint64_t n) {  // N(N + 1)/2, with no overflow
  const std::uint64_t expected = n % 2 == 0 ? n / 2 * (n + 1) : (n + 1) / 2 * n;
  std::printf("sum = %" PRIu64 " (expected %" PRIu64 "%s)\n", sum, expected,
              sum == expected ? "" : ": wrong");
  return sum == expected ? 0 : 1;  // the exit status
}

int main(int argc, char** argv) {
  if (argc > 3) argument(argv[3], 1, 0);  // a third argument: refused, with the usage
  const std::uint64_t n = argc > 1 ? argument(argv[1], 0, 6074000999) : 20;
  const auto workers = static_cast<unsigned>(argc > 2 ? argument(argv[2], 1, 256) : 2);
  int read_ends[256];
  pid_t children[256];
  unsigned started = 0;
  for (; started < workers; ++started) {
    int ends[2];  // [0] the read end, [1] the write end
    if (pipe(ends) != 0) {
      std::perror("pipe");
      break;  // gather the workers already started, below
    }
    const pid_t pid = fork();
    if (pid == 0) {  // the child: close every read end, write the message, leave
      for (unsigned w = 0; w <= started; ++w) close(w < started ? read_ends[w] : ends[0]);
      const Chunk chunk(n, workers, started);
      std::uint64_t partial = 0;
      for (std::uint64_t i = chunk.first; i < chunk.last; ++i) partial += i;
      dprintf(STDOUT_FILENO, "worker %u (pid %d): %s, partial sum %" PRIu64 "\n",
              started + 1, getpid(), describe(chunk).c_str(), partial);
      // 8 bytes, far fewer than PIPE_BUF (4096): one write() puts them in whole.
      _exit(write(ends[1], &partial, sizeof partial) == sizeof partial ? 0 : 1);
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
    read_ends[started] = ends[0];
    children[started] = pid;
  }

  std::uint64_t sum = 0;
  bool all_ok = started == workers;
  for (unsigned w = 0; w < started; ++w) {
    // All 8 bytes, as they were written, or 0: the worker ended without writing.
    std::uint64_t partial = 0;
    ssize_t got = -1;
    do got = read(read_ends[w], &partial, sizeof partial);
    while (got < 0 && errno == EINTR);  // a signal came before any byte: read again
    close(read_ends[w]);
    int status = -1;  // not "exited with 0" if waitpid fails
    while (waitpid(children[w], &status, 0) < 0 && errno == EINTR) continue;
    if (got != sizeof partial || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "worker %u (pid %d) ended without its message\n", w + 1,
                   children[w]);
      all_ok = false;
    }
    sum += got == sizeof partial ? partial : 0;
  }
  return all_ok ? report_sum(sum, n) : 1;
}
