/// \file
/// \brief Chapter 11's CUDA side, as the rest of the program sees it: plain C++
/// types only, so that nothing but cuda_sums.cu needs nvcc.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ch11 {

/// How the blocks' partial sums become one: each block's thread 0 adds its sum to
/// one total with a 64-bit atomicAdd, or every block writes its sum to an array
/// that a second, one-block kernel adds up.
enum class Combine { atomic, pass };

/// The kernel a run launches: Harris's steps (his numbers: 1, 3, 4, 5 and 7),
/// CUB's reduction, and grid_stride over an array in device memory.
enum class Kernel {
  interleaved,
  sequential,
  first_add,
  warp_shuffle,
  grid_stride,
  cub,
  array
};

/// One run on the device.
struct DeviceJob {
  Kernel kernel = Kernel::grid_stride;  ///< what it launches
  std::string name;                     ///< the variant's name, for messages
  std::uint64_t n = 0;                  ///< sum 1..n
  unsigned work = 0;                    ///< `--work`: rounds of element() per element
  unsigned threads = 256;               ///< threads per block: a power of two, 32 to 1024
  std::uint64_t blocks = 0;  ///< grid_stride and array: 0 for 8 per multiprocessor
  Combine combine = Combine::atomic;  ///< how the blocks' sums become one
  unsigned repeat = 1;  ///< timed launches, after one untimed warm-up launch
};

/// What a run on the device did.
struct DeviceRun {
  std::uint64_t sum = 0;               ///< the last launch's total
  bool every_launch_agreed = true;     ///< every timed launch gave the same total
  std::vector<double> kernel_seconds;  ///< one per timed launch, CUDA events
  std::uint64_t blocks = 0;            ///< blocks launched (0: chosen by CUB)
  unsigned threads = 0;                ///< threads per block (0: chosen by CUB)
  std::string device;                  ///< the card's name
  int multiprocessors = 0;             ///< the card's multiprocessors (SMs)
};

/// A CUDA call that failed: what() names the call and CUDA's error string.
class CudaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Why this machine cannot run kernels ("cudaGetDeviceCount: CUDA driver version
/// is insufficient for CUDA runtime version" where there is no GPU or no driver),
/// or nothing when it can.
[[nodiscard]] std::optional<std::string> no_device();

/// Runs `job` on device 0. \throws CudaError when a CUDA call fails.
[[nodiscard]] DeviceRun run_on_device(const DeviceJob& job);

/// The card's own ceiling for a memory-bound kernel: a device-to-device copy of
/// `bytes` with cudaMemcpy, timed `repeat` times; bytes read plus bytes written
/// per second of each. \throws CudaError when a CUDA call fails.
[[nodiscard]] std::vector<double> copy_bandwidth(std::uint64_t bytes, unsigned repeat);

}  // namespace ch11
