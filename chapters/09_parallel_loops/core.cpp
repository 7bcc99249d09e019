// Chapter 9's core: the sum of 1..N as one OpenMP loop.
//
// One line turns chapter 1's loop into chapter 3's threads with private partial
// sums:
//
//   #pragma omp parallel for num_threads(k) schedule(static) reduction(+ : sum)
//
// Below, that line is written as its two halves, so that each thread can say
// which block of 1..N it got and what its private copy of `sum` held before
// OpenMP added the copies together.
//
//   build/bin/ch09_core [N [K]]        (defaults: N = 20, K = 2)
#include <omp.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/core.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  // Plain variables, not a structured binding: clang before 16 cannot use one
  // inside an OpenMP region.
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const std::uint64_t n = args.n;
  const unsigned k = args.workers;
  std::uint64_t sum = 0;

  // A team of k threads; reduction(+ : sum) gives each its own sum, set to 0.
#pragma omp parallel num_threads(k) reduction(+ : sum)
  {
    std::uint64_t first = 0, last = 0;  // the block this thread was given
    // The loop's iterations shared out: static = one contiguous block each.
#pragma omp for schedule(static)
    for (std::uint64_t i = 1; i <= n; ++i) {
      if (first == 0) first = i;
      last = i;
      sum += ptut::element(i, 0);  // this thread's private sum: no race
    }
#pragma omp critical  // one thread at a time prints
    if (first == 0) {
      std::printf("thread %d: nothing, partial sum 0\n", omp_get_thread_num());
    } else {
      std::printf("thread %d: %" PRIu64 "..%" PRIu64 ", partial sum %" PRIu64 "\n",
                  omp_get_thread_num(), first, last, sum);
    }
  }  // the end of the region: every thread's sum is added into main's sum

  return ptut::report_sum(sum, n);
}
