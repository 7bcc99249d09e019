// Chapter 2's approach alone: K forked workers each sum a chunk of 1..N privately
// and write it once, into their own slot of memory the parent mapped shared.
//   g++ -std=c++20 -O2 core.cpp -o core && ./core 2000000 4
#include <sys/wait.h>
#include <unistd.h>
#include <boost/interprocess/anonymous_shared_memory.hpp>
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
  // MAP_SHARED | MAP_ANONYMOUS: no name to clean up; the children inherit it by fork.
  boost::interprocess::mapped_region shared =
      boost::interprocess::anonymous_shared_memory(workers * sizeof(std::uint64_t));
  auto* slots = static_cast<std::uint64_t*>(shared.get_address());
  pid_t children[256];
  unsigned started = 0;
  for (; started < workers; ++started) {
    if ((children[started] = fork()) < 0) break;  // reap those already started, below
    if (children[started] > 0) continue;  // the parent; the child, a copy, goes on:
    const Chunk chunk(n, workers, started);
    std::uint64_t partial = 0;  // private while working
    for (std::uint64_t i = chunk.first; i < chunk.last; ++i) partial += i;
    slots[started] = partial;  // written once, into its own slot
    dprintf(STDOUT_FILENO, "worker %u (pid %d): %s, partial sum %" PRIu64 "\n",
            started + 1, getpid(), describe(chunk).c_str(), partial);  // no stdio buffer
    _exit(0);  // never return: that would run the parent's code and destructors
  }
  if (started < workers) std::perror("fork");
  // waitpid returns once the child has exited; all it wrote is then visible to the
  // parent, so the slots need no atomics and no lock.
  std::uint64_t sum = 0;
  bool all_ok = started == workers;
  for (unsigned w = 0; w < started; ++w) {
    int status = -1;  // not "exited with 0" if waitpid fails
    while (waitpid(children[w], &status, 0) < 0 && errno == EINTR) continue;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) std::fprintf(stderr, "worker %u (pid %d) failed\n", w + 1, children[w]);
    all_ok = all_ok && ok;
    sum += slots[w];
  }
  return all_ok ? report_sum(sum, n) : 1;
}
