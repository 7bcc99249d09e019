// Chapter 6's approach alone: K threads that may run only while they hold one lock,
// a GIL like CPython's. They take turns, so K of them are no faster than one.
//   g++ -std=c++20 -O2 -pthread core.cpp -o core && ./core 200000000 2
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <semaphore>
#include <string>
#include <system_error>
#include <thread>
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
  // A thread that has waited a whole switch interval (CPython's 5 ms) for the lock
  // asks its holder to drop it; the holder looks for that request every 64 elements.
  std::binary_semaphore gil{1};  // the lock: free (1) or held (0)
  std::atomic<bool> drop_request{false};
  std::atomic<unsigned> holder{0};        // thread 1..K; 0 before anyone took it
  std::uint64_t handoffs = 0, total = 0;  // changed only while holding the lock
  try {
    std::vector<std::jthread> threads;
    for (unsigned w = 1; w <= workers; ++w) {
      threads.emplace_back([&, chunk = Chunk(n, workers, w - 1), w] {
        std::uint64_t partial = 0, i = chunk.first;
        while (true) {
          while (!gil.try_acquire_for(std::chrono::milliseconds(5))) drop_request = true;
          drop_request = false;  // whoever asked now has the lock, or is still waiting
          holder = w;
          for (; i < chunk.last && (i % 64 != 0 || !drop_request); ++i) partial += i;
          if (i == chunk.last) break;  // done, still holding the lock
          ++handoffs;     // asked to let go: let the other thread run, and wait until
          gil.release();  // it has the lock (CPython's "forced switching")
          while (holder == w) std::this_thread::yield();
        }
        std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w,
                    describe(chunk).c_str(), partial);
        total += partial;
        gil.release();
      });
    }
  } catch (const std::system_error& error) {  // a thread could not start
    std::fprintf(stderr, "starting a thread: %s\n", error.what());
    return 1;  // (after the threads that did start were joined)
  }            // each std::jthread joins in its destructor
  std::printf("hand-offs of the lock on request: %" PRIu64 "\n", handoffs);
  return report_sum(total, n);
}
