// Exercise 5's solution: a worker thread's exception, carried to main. An
// exception that leaves a thread's function calls std::terminate: the whole
// program dies, with nothing said about which thread failed. Each thread here
// catches what it throws into a std::exception_ptr of its own; main, after the
// joins, rethrows the first one and says whose it was.
//
//   build/bin/ch03_ex5_exception_ptr [N [K [W]]]   (thread W throws; 0 or none: nobody)
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  unsigned thrower = 0;  // none
  const auto [n, workers] = ptut::core_args_with_worker(argc, argv, thrower);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  std::vector<std::uint64_t> partials(workers, 0);    // each written by its own thread
  std::vector<std::exception_ptr> failures(workers);  // likewise
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        try {
          if (w + 1 == thrower) throw std::runtime_error("asked to fail");
          partials[w] = ptut::sum_range(chunks[w], 0);
        } catch (...) {
          failures[w] = std::current_exception();  // any type, kept for main
        }
      });
    }
  }  // joined: every thread's writes are visible from here
  std::uint64_t sum = 0;
  for (unsigned w = 0; w < workers; ++w) {
    try {
      if (failures[w]) std::rethrow_exception(failures[w]);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "thread %u failed: %s\n", w + 1, error.what());
      return 1;
    }
    std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                ptut::describe(chunks[w]).c_str(), partials[w]);
    sum += partials[w];
  }
  return ptut::report_sum(sum, n);
}
