// Chapter 11: chapter 9's loop, offloaded. GCC compiles the target region twice,
// for the host and for NVIDIA's PTX (-foffload=nvptx-none); at run time libgomp
// sends it to the first GPU it finds, or runs the host copy when it finds none.
#include "omp_target.hpp"

#include <omp.h>

// Functions a target region calls must exist in the device's code too.
#pragma omp declare target
#include "steps.hpp"
#pragma omp end declare target

namespace ch11 {
namespace {

// element()'s zero, written here so that no compiler can assume it (steps.hpp)
void set_target_zero() {
  static volatile std::uint64_t zero = 0;
  target_zero = zero;
#pragma omp target update to(target_zero)
}

// Where target regions run: 0 on a device, 1 on the host. Asked in an empty
// region of its own where the loop cannot say (no iteration, or SIMD lanes,
// where a call into the OpenMP runtime does not belong).
int targets_run_on_host() {
  int on_host = 1;
#pragma omp target map(from : on_host)
  on_host = omp_is_initial_device();
  return on_host;
}

TargetRun finished(std::uint64_t sum, int on_host) {
  TargetRun run;
  run.devices = omp_get_num_devices();
  run.sum = sum;
  run.on_device = on_host == 0;
#ifdef PTUT_CH11_OFFLOAD
  run.offload_built = true;
#endif
  return run;
}

}  // namespace

// [omp_target]
TargetRun omp_target_sum(std::uint64_t n, unsigned work) {
  set_target_zero();
  std::uint64_t sum = 0;
  int on_host = 1;
  // teams: many blocks; distribute: the blocks share the loop; parallel for: the
  // threads of each block share its part; reduction: a private sum per thread,
  // combined on the device, copied back into `sum` (map tofrom).
#pragma omp target teams distribute parallel for reduction(+ : sum) \
    map(tofrom : sum, on_host)
  for (std::uint64_t i = 1; i <= n; ++i) {
    sum += element(i, work);
    if (i == 1) on_host = omp_is_initial_device();  // where the region ran
  }
  // [omp_target]
  if (n == 0) on_host = targets_run_on_host();  // no iteration ran to say where
  return finished(sum, on_host);
}

// [omp_target_simd]
TargetRun omp_target_simd_sum(std::uint64_t n, unsigned work) {
  set_target_zero();
  std::uint64_t sum = 0;
  // simd: GCC runs a parallel region's code on one lane of each 32-lane warp, and
  // gives the loop to all 32 only in a simd region; on the host, simd asks for
  // the vector lanes of chapter 9's omp_for_simd.
#pragma omp target teams distribute parallel for simd reduction(+ : sum) map(tofrom : sum)
  for (std::uint64_t i = 1; i <= n; ++i) {
    sum += element(i, work);
  }
  // [omp_target_simd]
  return finished(sum, targets_run_on_host());
}

}  // namespace ch11
