// Exercise 2's solution: omp_racy made exact without the reduction clause, the way
// chapter 3's core does it by hand. Each thread sums its block into a variable
// declared inside the parallel region, which is private to it, and adds that into
// the shared total once, atomically. One atomic per thread instead of one per
// element: as fast as the reduction clause, which does the same for you.
//
//   build/bin/ch09_ex2_atomic_once [N [K]]        (defaults: N = 20, K = 2)
#include <omp.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/contract.hpp"
#include "ptut/core.hpp"
#include "ptut/threads.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const std::uint64_t n = args.n;
  ptut::require_threads(args.workers, "OpenMP");  // clang's OpenMP aborts if refused one
  std::uint64_t sum = 0;                          // shared by the team
#pragma omp parallel num_threads(args.workers)
  {
    std::uint64_t mine = 0;  // declared in the region: one per thread
#pragma omp for schedule(static)
    for (std::uint64_t i = 1; i <= n; ++i) mine += ptut::element(i, 0);
#pragma omp atomic
    sum += mine;
#pragma omp critical
    std::printf("thread %d added its partial sum %" PRIu64 "\n", omp_get_thread_num(),
                mine);
  }  // the region's end is a barrier: every thread's addition is done
  return ptut::report_sum(sum, n);
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
