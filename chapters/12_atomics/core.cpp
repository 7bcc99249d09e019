// Chapter 12's approach alone: a statistical counter. K std::jthreads add their chunks
// into slots of their own; a reader reads the total while they work, as no sum can.
//
//   g++ -std=c++20 -O2 -pthread core.cpp -o core && ./core 2000000000 2
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

struct alignas(64) Slot {  // a thread's count, alone on its 64-byte cache line
  std::atomic<std::uint64_t> value{0};
};
std::uint64_t read_total(const std::vector<Slot>& slots) {  // any thread, any time
  std::uint64_t total = 0;
  for (const Slot& slot : slots) total += slot.value.load(std::memory_order_relaxed);
  return total;
}

int main(int argc, char** argv) {
  if (argc > 3) argument(argv[3], 1, 0);  // a third argument: refused, with the usage
  const std::uint64_t n = argc > 1 ? argument(argv[1], 0, 6074000999) : 20;
  const auto workers = static_cast<unsigned>(argc > 2 ? argument(argv[2], 1, 256) : 2);
  std::vector<Slot> slots(workers);
  try {
    std::jthread reader([&](std::stop_token stop) {  // reads while the workers add
      do {
        std::printf("reader: %" PRIu64 " so far\n", read_total(slots));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      } while (!stop.stop_requested());
    });
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, chunk = Chunk(n, workers, w), w] {
        std::atomic<std::uint64_t>& mine = slots[w].value;
        // Only this thread writes its slot: a load and a store lose nothing, no lock.
        for (std::uint64_t i = chunk.first; i < chunk.last; ++i)
          mine.store(mine.load(std::memory_order_relaxed) + i, std::memory_order_relaxed);
        std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                    describe(chunk).c_str(), mine.load(std::memory_order_relaxed));
      });
    }
  } catch (const std::system_error& error) {  // a thread could not start
    std::fprintf(stderr, "starting a thread: %s\n", error.what());
    return 1;  // (after the threads that did start were joined)
  }  // the workers are joined, then the reader: every store happened-before this
  return report_sum(read_total(slots), n);
}
