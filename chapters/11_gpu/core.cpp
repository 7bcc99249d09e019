// Chapter 11's core: the sum of 1..N on the GPU with one OpenMP pragma.
//
// Chapter 9's loop ran on the CPU's threads. Here `target` sends it to the GPU:
// the compiler builds the loop twice (for the CPU and, with -foffload=nvptx-none,
// for NVIDIA's GPUs), and at run time OpenMP copies `sum` to the card, runs the
// loop on thousands of GPU threads in `teams` (blocks), adds their private sums
// there, and copies `sum` back. With no GPU the same loop runs on the host.
//
//   build/bin/ch11_core [N [K]]   (defaults: N = 20, K = 2; K is ignored: the GPU
//                                  picks its own teams and threads)
#include <omp.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/core.hpp"

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const std::uint64_t n = args.n;
  std::uint64_t sum = 0;
  int on_host = 1, teams = 0;

  // map(tofrom: ...): copy these to the device before the loop and back after it.
#pragma omp target teams distribute parallel for reduction(+ : sum) \
    map(tofrom : sum, on_host, teams)
  for (std::uint64_t i = 1; i <= n; ++i) {
    sum += i;  // each GPU thread adds into its own private copy: no race
    if (i == 1) {
      on_host = omp_is_initial_device();
      teams = omp_get_num_teams();
    }
  }

  std::printf("ran on %s; %d teams; %d offload device(s) found\n",
              on_host ? "the host" : "the GPU", teams, omp_get_num_devices());
  return ptut::report_sum(sum, n);
}
