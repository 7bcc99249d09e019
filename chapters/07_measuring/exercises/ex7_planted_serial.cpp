// Exercise 7's solution: Amdahl's law, tested on a program whose serial fraction
// is known because it was put there. The first quarter of 1..N is summed by main
// alone; the rest is split over K threads. Amdahl's law predicts the speedup over
// one thread, 1 / (f + (1 − f)/K) with f = 1/4, and the Karp–Flatt metric, computed
// from the measured speedup, should find f again: e = (1/S − 1/K) / (1 − 1/K).
// Whatever e finds above f is what the threads cost beyond the planted part
// (starting them, memory bandwidth, a busy machine).
//
//   build/bin/ch07_ex7_planted_serial [N [K]]        (defaults: N = 20, K = 2)
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

constexpr unsigned kWork = 16;
constexpr double kSerialFraction = 0.25;

// The program's work with `workers` threads: the serial quarter, then the rest.
std::uint64_t run(std::uint64_t n, unsigned workers) {
  const std::uint64_t serial_last = static_cast<std::uint64_t>(kSerialFraction * n);
  std::uint64_t sum = ptut::sum_range({1, serial_last + 1}, kWork);  // main alone
  std::atomic<std::uint64_t> rest{0};
  std::vector<std::jthread> threads;
  for (const ptut::Chunk& part : ptut::split_range(n - serial_last, workers)) {
    const ptut::Chunk chunk{part.first + serial_last, part.last + serial_last};
    threads.emplace_back([&rest, chunk] { rest += ptut::sum_range(chunk, kWork); });
  }
  threads.clear();  // joins
  return sum + rest.load();
}

double median_seconds(std::uint64_t n, unsigned workers, std::uint64_t& result) {
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result = run(n, workers);
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[2];
}

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  std::uint64_t one_sum = 0, k_sum = run(n, workers);  // a warm-up: page faults, threads
  const double one = median_seconds(n, 1, one_sum);
  const double many = median_seconds(n, workers, k_sum);
  const double speedup = one / many;
  const double k = workers;
  std::printf("planted serial fraction f = %.2f; 1 thread: %.3f ms, K = %u: %.3f ms\n",
              kSerialFraction, one * 1e3, workers, many * 1e3);
  std::printf("speedup S = %.2f; Amdahl predicts %.2f\n", speedup,
              1 / (kSerialFraction + (1 - kSerialFraction) / k));
  if (workers > 1)
    std::printf("Karp–Flatt e = %.3f (f = %.3f)\n", (1 / speedup - 1 / k) / (1 - 1 / k),
                kSerialFraction);
  if (one_sum != k_sum) return 1;
  return ptut::report_sum(k_sum, n);
}
