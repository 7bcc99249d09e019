// Chapter 9's approach alone: the sum of 1..N as one OpenMP loop. One line turns
// chapter 1's loop into chapter 3's threads with private partial sums:
//
//   #pragma omp parallel for num_threads(k) schedule(static) reduction(+ : sum)
//
// Below, that line is written as its two halves, so that each thread can say which
// block of 1..N it got and what its private copy of `sum` held before OpenMP added
// the copies together.
//   g++ -std=c++20 -O2 -fopenmp core.cpp -o core && ./core 2000000 4
#include <omp.h>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
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
  {  // clang's OpenMP runtime aborts if the system refuses it a thread (GCC's says
     // so and exits 1): ask for the team's threads first, and let them go.
    std::latch go(1);
    std::vector<std::jthread> asked;
    try {
      while (asked.size() + 1 < workers) asked.emplace_back([&go] { go.wait(); });
    } catch (const std::system_error& refused) {
      go.count_down();
      std::fprintf(stderr, "starting a thread: %s\n", refused.what());
      return 1;
    }
    go.count_down();
  }
  std::uint64_t sum = 0;
  // A team of `workers` threads; reduction(+ : sum) gives each its own sum, set to 0.
#pragma omp parallel num_threads(workers) reduction(+ : sum)
  {
    std::uint64_t first = 0, last = 0;  // the block this thread was given
    // The loop's iterations shared out: static = one contiguous block each.
#pragma omp for schedule(static)
    for (std::uint64_t i = 1; i <= n; ++i) {
      if (first == 0) first = i;
      last = i;
      sum += i;  // this thread's private sum: no race
    }
#pragma omp critical  // one thread at a time prints
    if (first == 0) {
      std::printf("thread %d: nothing, partial sum 0\n", omp_get_thread_num());
    } else {
      std::printf("thread %d: %" PRIu64 "..%" PRIu64 ", partial sum %" PRIu64 "\n",
                  omp_get_thread_num(), first, last, sum);
    }
  }  // the end of the region: every thread's sum is added into main's sum
  return report_sum(sum, n);
}
