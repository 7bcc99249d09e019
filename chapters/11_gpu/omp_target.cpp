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

// [omp_target]
TargetRun omp_target_sum(std::uint64_t n, unsigned work) {
  // element()'s zero, written here so that no compiler can assume it (steps.hpp)
  static volatile std::uint64_t zero = 0;
  target_zero = zero;
#pragma omp target update to(target_zero)
  TargetRun run;
  run.devices = omp_get_num_devices();
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
  if (n == 0) {  // no iteration ran to say where it was: ask an empty region
#pragma omp target map(from : on_host)
    on_host = omp_is_initial_device();
  }
  run.sum = sum;
  run.on_device = on_host == 0;
#ifdef PTUT_CH11_OFFLOAD
  run.offload_built = true;
#endif
  return run;
}

}  // namespace ch11
