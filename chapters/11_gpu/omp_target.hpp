/// \file
/// \brief Chapter 11's OpenMP offload: the same loop as chapter 9's, sent to the GPU
/// by one pragma, or run on the host when there is no GPU to send it to.
#pragma once

#include <cstdint>

namespace ch11 {

/// What the offloaded loop did.
struct TargetRun {
  std::uint64_t sum = 0;       ///< the loop's total
  bool on_device = false;      ///< false: the target region ran on the host (no device)
  int devices = 0;             ///< omp_get_num_devices(): offload devices OpenMP found
  bool offload_built = false;  ///< compiled with -foffload (else host code only)
};

/// The sum of element(i, work) over 1..n in one
/// `#pragma omp target teams distribute parallel for reduction(+ : sum)`.
[[nodiscard]] TargetRun omp_target_sum(std::uint64_t n, unsigned work);

/// The same loop as omp_target_sum, with `simd` added to the construct:
/// `#pragma omp target teams distribute parallel for simd reduction(+ : sum)`, so
/// that GCC's NVPTX code runs it on every lane of a warp (and the host's copy on
/// its vector lanes).
[[nodiscard]] TargetRun omp_target_simd_sum(std::uint64_t n, unsigned work);

}  // namespace ch11
