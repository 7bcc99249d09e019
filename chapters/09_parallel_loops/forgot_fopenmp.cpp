// The pitfall: a parallel loop built without -fopenmp. The compiler ignores the
// pragma (it warns only under -Wall, as -Wunknown-pragmas), the program runs, the
// sum is right, and it ran on one thread: the CPU time equals the wall time.
//
//   build/bin/ch09_forgot_fopenmp [N [K]]        (defaults: N = 20, K = 2)

#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/core.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  // Plain variables, not a structured binding: clang before 16 cannot use one
  // inside an OpenMP region.
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const std::uint64_t n = args.n;
  const unsigned k = args.workers;
  const double cpu_before = ptut::process_cpu_seconds();
  const ptut::Stopwatch stopwatch;
  std::uint64_t sum = 0;
#pragma omp parallel for num_threads(k) schedule(static) reduction(+ : sum)
  for (std::uint64_t i = 1; i <= n; ++i) sum += ptut::element(i, 16);
  const double wall = stopwatch.seconds();
  const double cpu = ptut::process_cpu_seconds() - cpu_before;
#ifdef _OPENMP
  std::printf("built with OpenMP %d\n", _OPENMP);
#else
  std::printf("built without OpenMP: _OPENMP is not defined, the pragma was dropped\n");
#endif
  std::printf("asked for %u threads; CPU time / wall time: %.2f\n", k,
              wall > 0 ? cpu / wall : 0.0);
  return ptut::report_sum(sum, n);
}
