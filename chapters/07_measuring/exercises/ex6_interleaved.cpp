// Exercise 6's solution: a speedup measured honestly, in a page. The serial loop
// and the K-thread sum (private partial sums, chapter 3's `partials`) use the same
// kernel, and run in turns, R times each, so that a busy moment of the machine
// hurts both alike; the medians are compared, and the spread is shown beside them.
// Thread start-up is inside the timing: a reader's program pays it too.
//
//   build/bin/ch07_ex6_interleaved [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

constexpr unsigned kWork = 16;  // rounds of work per element: compute-bound
constexpr int kRuns = 5;

std::uint64_t parallel_sum(const std::vector<ptut::Chunk>& chunks) {
  std::atomic<std::uint64_t> total{0};
  std::vector<std::jthread> threads;
  for (const ptut::Chunk& chunk : chunks)
    threads.emplace_back([&total, chunk] { total += ptut::sum_range(chunk, kWork); });
  threads.clear();  // joins
  return total.load();
}

template <typename F>
double seconds_of(F&& run, std::uint64_t& result) {
  const auto start = std::chrono::steady_clock::now();
  result = run();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];  // kRuns is odd
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  std::vector<double> serial, parallel;
  std::uint64_t serial_sum = 0;
  std::uint64_t parallel_total = parallel_sum(chunks);  // a warm-up: page faults, threads
  for (int run = 0; run < kRuns; ++run) {               // in turns
    // [last = n], not [n]: n is a structured binding, which clang before 16 cannot
    // capture; an init-capture copies its value and every compiler takes it.
    serial.push_back(seconds_of(
        [last = n] {
          return ptut::sum_range({1, last + 1}, kWork);
        },
        serial_sum));
    parallel.push_back(seconds_of([&] { return parallel_sum(chunks); }, parallel_total));
  }
  const auto show = [](const char* what, const std::vector<double>& times) {
    std::printf("%-12s median %10.3f ms  (min–max %.3f–%.3f ms)\n", what,
                median(times) * 1e3, *std::min_element(times.begin(), times.end()) * 1e3,
                *std::max_element(times.begin(), times.end()) * 1e3);
  };
  show("serial loop", serial);
  show("K threads", parallel);
  std::printf("speedup: %.2f× with K = %u (%d runs each, in turns)\n",
              median(serial) / median(parallel), workers, kRuns);
  if (serial_sum != parallel_total) return 1;
  return ptut::report_sum(parallel_total, n);
}
