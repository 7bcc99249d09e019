// Chapter 3's approach alone: K std::jthreads, one process. Each thread sums its
// chunk of 1..N into a local variable, shared with nobody, then adds that partial
// sum to the one shared total with a single atomic read-modify-write.
//
//   build/bin/ch03_core [N [K]]        (defaults: N = 20, K = 2)
#include <atomic>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);

  // Shared by every thread, so every access must be atomic: two threads writing
  // one plain variable is a data race, undefined behaviour in C++.
  std::atomic<std::uint64_t> total{0};
  try {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&total, &chunks, w] {
        // private: no sharing while working
        const std::uint64_t partial = ptut::sum_range(chunks[w], 0);
        std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                    ptut::describe(chunks[w]).c_str(), partial);
        // One update per thread, not one per element. Relaxed order is enough:
        // nobody reads the total until every thread has been joined.
        total.fetch_add(partial, std::memory_order_relaxed);
      });
    }
  } catch (const std::system_error& error) {
    // A thread could not start; those that did were joined.
    std::fprintf(stderr, "starting a thread: %s\n", error.what());
    return 1;
  }  // each std::jthread joins in its destructor: every addition happens-before this line

  return ptut::report_sum(total.load(std::memory_order_relaxed), n);
}
