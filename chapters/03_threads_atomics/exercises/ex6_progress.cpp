// Exercise 6's solution: progress read while the threads run. Each thread counts
// the elements it has added in a counter of its own, on its own cache line (no
// false sharing: chapter 3), and stores it with a relaxed store every 64 Ki
// elements; main reads the counters every few milliseconds and prints how far the
// threads got. Relaxed is enough: a count that is a little stale is still a count,
// and the sum itself is read only after the joins.
//
//   build/bin/ch03_ex6_progress [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

struct alignas(64) Counter {
  std::atomic<std::uint64_t> done{0};  // elements added so far, by one thread
};

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  std::vector<Counter> counters(workers);
  std::vector<std::uint64_t> partials(workers, 0);
  std::atomic<unsigned> running{workers};
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        constexpr std::uint64_t kStep = 64 * 1024;
        for (std::uint64_t first = chunks[w].first; first < chunks[w].last;
             first += kStep) {
          const ptut::Chunk step{first, std::min(chunks[w].last, first + kStep)};
          partials[w] += ptut::sum_range(step, 0);
          counters[w].done.store(step.last - chunks[w].first, std::memory_order_relaxed);
        }
        running.fetch_sub(1, std::memory_order_relaxed);
      });
    }
    while (running.load(std::memory_order_relaxed) > 0) {  // main watches meanwhile
      std::uint64_t done = 0;
      for (const Counter& counter : counters)
        done += counter.done.load(std::memory_order_relaxed);
      std::fprintf(stderr, "progress: %" PRIu64 " of %" PRIu64 " elements\n", done, n);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }  // joined
  std::uint64_t sum = 0;
  for (unsigned w = 0; w < workers; ++w) {
    std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                ptut::describe(chunks[w]).c_str(), partials[w]);
    sum += partials[w];
  }
  return ptut::report_sum(sum, n);
}
