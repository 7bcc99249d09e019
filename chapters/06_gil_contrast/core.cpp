// Chapter 6's approach alone: K threads that may run only while they hold one
// lock, a GIL like CPython's. Each sums its chunk of 1..N in steps of 64 elements
// and, between steps, hands the lock over when another thread has asked for it.
// The threads take turns, so K of them are no faster than one.
//
//   build/bin/ch06_core [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <system_error>
#include <thread>
#include <vector>

#include "gil.hpp"
#include "ptut/core.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  // a waiter asks for it after CPython's switch interval
  ch06::Gil gil(std::chrono::milliseconds(5));
  std::atomic<std::uint64_t> total{0};
  try {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&gil, &total, &chunks, w] {
        const ptut::Chunk chunk = chunks[w];
        gil.take(w);  // "Python" runs only while its thread holds the lock
        std::uint64_t partial = 0;
        for (std::uint64_t first = chunk.first; first < chunk.last; first += 64) {
          partial += ptut::sum_range({first, std::min(chunk.last, first + 64)}, 0);
          // someone asked: let them run, then wait for a turn
          if (gil.drop_requested()) gil.yield(w);
        }
        std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                    ptut::describe(chunk).c_str(), partial);
        total.fetch_add(partial, std::memory_order_relaxed);
        gil.drop(w);
      });
    }
  } catch (const std::system_error& error) {
    // A thread could not start; those that did were joined.
    std::fprintf(stderr, "starting a thread: %s\n", error.what());
    return 1;
  }  // each std::jthread joins in its destructor
  std::printf("hand-offs of the lock: %" PRIu64 "\n", gil.handoffs());
  return ptut::report_sum(total.load(std::memory_order_relaxed), n);
}
