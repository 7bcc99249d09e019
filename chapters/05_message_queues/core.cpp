// Chapter 5's approach alone, a work queue: K forked workers take tasks from a Boost
// message_queue in shared memory as they get free, and put each sum on another.
//   g++ -std=c++20 -O2 -pthread core.cpp -o core && ./core 2000000 4
#include <sys/wait.h>
#include <unistd.h>
#include <boost/interprocess/ipc/message_queue.hpp>
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
  const unsigned chunks = 4 * workers;  // more tasks than workers: the quick take more
  // Named in /dev/shm, and unnamed at once: the workers inherit the queues by fork.
  using boost::interprocess::create_only, boost::interprocess::message_queue;
  const std::string name = "ch05_core_" + std::to_string(getpid());
  message_queue tasks(create_only, (name + "_tasks").c_str(), chunks + workers, 4);
  message_queue results(create_only, (name + "_results").c_str(), chunks, 8);
  message_queue::remove((name + "_tasks").c_str());
  message_queue::remove((name + "_results").c_str());
  std::size_t size = 0;   // receive() reports each message's size and priority:
  unsigned priority = 0;  // always one whole message, at priority 0
  // A task: a chunk's number (workers know N); from `chunks` on, a stop. Room for all.
  for (unsigned c = 0; c < chunks + workers; ++c) tasks.send(&c, sizeof c, 0);
  unsigned started = 0;
  for (; started < workers; ++started) {
    const pid_t pid = fork();
    if (pid < 0) break;     // the workers that did start share all the tasks
    if (pid > 0) continue;  // the parent; the worker, a copy of it, goes on:
    for (unsigned c = 0;;) {
      tasks.receive(&c, sizeof c, size, priority);  // waits for a task
      if (c >= chunks) _exit(0);  // a stop. Never return: the parent's code would run
      const Chunk chunk(n, chunks, c);
      std::uint64_t partial = 0;
      for (std::uint64_t i = chunk.first; i < chunk.last; ++i) partial += i;
      dprintf(STDOUT_FILENO, "worker %u: %s, partial sum %" PRIu64 "\n", started + 1,
              describe(chunk).c_str(), partial);
      results.send(&partial, sizeof partial, 0);
    }
  }
  if (started < workers) std::perror("fork");
  std::uint64_t sum = 0, partial = 0;  // the full program also watches the workers
  for (unsigned c = 0; started > 0 && c < chunks; ++c) {
    results.receive(&partial, sizeof partial, size, priority);  // as they come
    sum += partial;
  }
  while (wait(nullptr) > 0 || errno == EINTR) continue;  // every worker, until ECHILD
  return started == workers ? report_sum(sum, n) : 1;
}
