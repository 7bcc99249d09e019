// Chapter 10's approach alone: tasks on a thread pool, as Python's Pool.map does it.
// A pool of K threads (Boost.Asio's thread_pool), one task per chunk of 1..N posted to
// it, and for each task a std::future, where its result (or exception) will be found.
// More tasks than threads: a thread that finishes early takes the next.
//   g++ -std=c++20 -O2 -pthread core.cpp -o core && ./core 2000000 4
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <string>
#include <vector>

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
  // A pool that cannot start all its threads throws from its constructor, whose
  // clean-up would wait forever for the threads it did start: end at once instead.
  const auto previous = std::set_terminate([] {
    std::fputs("could not start the pool's threads\n", stderr);
    std::_Exit(1);
  });
  boost::asio::thread_pool pool(workers);  // K threads, waiting for work
  std::set_terminate(previous);
  std::atomic<unsigned> threads_seen{0};  // to number each pool thread as it starts
  std::vector<std::future<std::uint64_t>> results;
  for (unsigned t = 0; t < 8 * workers; ++t) {
    // post() queues the task and returns; use_future hands back its result's future.
    results.push_back(boost::asio::post(
        pool,
        boost::asio::use_future([&threads_seen, chunk = Chunk(n, 8 * workers, t), t] {
          thread_local const unsigned thread = ++threads_seen;
          std::uint64_t sum = 0;
          for (std::uint64_t i = chunk.first; i < chunk.last; ++i) sum += i;
          const std::string line = "thread " + std::to_string(thread) + ", task " +
                                   std::to_string(t + 1) + ": " + describe(chunk) +
                                   ", partial sum " + std::to_string(sum) + "\n";
          std::fputs(line.c_str(), stdout);  // one call: lines do not mix
          return sum;
        })));
  }
  std::uint64_t sum = 0;  // in task order; get() waits, and rethrows what a task threw
  for (std::future<std::uint64_t>& result : results) sum += result.get();
  pool.join();  // every task has run: the threads end
  return report_sum(sum, n);
}
