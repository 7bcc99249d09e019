// Chapter 9's vector-lane loops: one thread using the CPU's vector instructions
// (simd), then threads and lanes together (omp_for_simd). This file is compiled
// for the CPU it is built on (-march=native, CMakeLists.txt), as numerical codes
// are: the x86-64 baseline has 2 lanes of 64 bits (SSE2), AVX2 has 4, AVX-512 8.
#include <omp.h>

#include "lane_kernel.hpp"
#include "parallel_loops.hpp"
#include "ptut/work.hpp"

namespace ch09 {
namespace {

// [simd]
// One thread. `omp simd` promises the compiler that the iterations may run in
// vector lanes, and reduction(+ : sum) gives each lane its own sum, added at the
// end. With rounds of --work each element runs a loop of its own; the lanes then
// run it in step, which pays only where the CPU has a vector 64-bit multiply.
std::uint64_t simd_stretch(std::uint64_t first, std::uint64_t last, unsigned rounds,
                           std::uint64_t zero) {
  std::uint64_t sum = 0;
  if (rounds == 0) {
#pragma omp simd reduction(+ : sum)
    for (std::uint64_t i = first; i < last; ++i) sum += lane_element(i, 0, zero);
  } else {
#pragma omp simd reduction(+ : sum)
    for (std::uint64_t i = first; i < last; ++i) sum += lane_element(i, rounds, zero);
  }
  return sum;
}
// [simd]

std::uint64_t simd_loop(const Load& load, std::uint64_t zero) {
  std::uint64_t sum = 0;
  for (Stretch s = stretch_at(1, load); s.first < s.last; s = stretch_at(s.last, load)) {
    sum += simd_stretch(s.first, s.last, s.rounds, zero);
  }
  return sum;
}

// [omp_for_simd]
// Threads and lanes: each `for simd` hands every thread a block of the stretch
// (the whole range, without --skew) and runs it in lanes; reduction(+ : sum) on it
// gives each thread's lanes their own sums and adds them into the shared sum when
// the loop ends.
LoopResult omp_for_simd_loop(const Load& load, std::uint64_t zero) {
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel num_threads(load.threads)
  {
#pragma omp single nowait
    team = static_cast<unsigned>(omp_get_num_threads());
    for (Stretch s = stretch_at(1, load); s.first < s.last;
         s = stretch_at(s.last, load)) {
      if (s.rounds == 0) {
#pragma omp for simd schedule(static) reduction(+ : sum)
        for (std::uint64_t i = s.first; i < s.last; ++i) sum += lane_element(i, 0, zero);
      } else {
#pragma omp for simd schedule(static) reduction(+ : sum)
        for (std::uint64_t i = s.first; i < s.last; ++i) {
          sum += lane_element(i, s.rounds, zero);
        }
      }
    }
  }
  return {sum, team};
}
// [omp_for_simd]

std::uint64_t opaque_zero() {
  std::uint64_t zero = 0;
  ptut::opaque(zero);
  return zero;
}

}  // namespace

LoopResult simd(const Load& load) {
  const std::uint64_t zero = opaque_zero();
  return {simd_loop(load, zero), 1};
}

LoopResult omp_for_simd(const Load& load) {
  const std::uint64_t zero = opaque_zero();
  return omp_for_simd_loop(load, zero);
}

}  // namespace ch09
