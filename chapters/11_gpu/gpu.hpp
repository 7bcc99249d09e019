/// \file
/// \brief Chapter 11: the sum on the GPU: CUDA kernels that follow Mark Harris's
/// reduction steps, CUB, an array in device memory, and OpenMP offload.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cuda_sums.hpp"
#include "ptut/cli.hpp"
#include "ptut/failure.hpp"
#include "ptut/report.hpp"

namespace ch11 {

/// What `--combine` takes.
inline constexpr ptut::Named<Combine> kCombines[] = {{"atomic", Combine::atomic},
                                                     {"pass", Combine::pass}};

/// Where a run ran, as its JSON says ("ran_on"): OpenMP offload falls back to the
/// host where there is no device.
enum class RanOn { host, device };
/// The words "ran_on" takes.
inline constexpr ptut::Named<RanOn> kRanOn[] = {{"host", RanOn::host},
                                                {"device", RanOn::device}};

/// Threads per block when `--threads` is not given: a common first choice, 8 warps.
inline constexpr unsigned kDefaultThreads = 256;

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line (`--workers` is refused)
  unsigned threads =
      kDefaultThreads;       ///< `--threads`: per block, 32 to 1024, a power of two
  std::uint64_t blocks = 0;  ///< `--blocks`: grid_stride and array; 0 for the default
  Combine combine = Combine::atomic;  ///< `--combine`
  unsigned repeat = 1;                ///< `--repeat`: timed runs; the median is reported
};

/// True when `variant` is one of the CUDA kernels (built only where CMake found
/// CUDA); false for omp_target.
[[nodiscard]] bool is_cuda(const std::string& variant);

/// True when the variant launches blocks of its own (every CUDA variant but cub):
/// `--threads` and `--combine` apply.
[[nodiscard]] bool has_blocks(const std::string& variant);

/// True when the variant runs a fixed grid (`--blocks` applies).
[[nodiscard]] bool has_fixed_grid(const std::string& variant);

/// A run that could not happen or failed: no device, or a CUDA call that failed
/// (what() names the call and the error).
using RunFailed = ptut::RunFailed;

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// What OpenMP offload (omp_target) found: whether it could have used a device.
struct OffloadFacts {
  int devices = 0;     ///< omp_get_num_devices(): offload devices OpenMP found
  bool built = false;  ///< compiled with -foffload (else host code only)
  std::vector<double> run_seconds;  ///< each timed run: the median hides the spread
};

/// How a kernel with blocks of its own was launched (every CUDA variant but cub).
struct LaunchFacts {
  std::uint64_t blocks = 0;           ///< blocks launched
  unsigned threads_per_block = 0;     ///< threads per block
  Combine combine = Combine::atomic;  ///< how the blocks' partial sums were combined
};

/// The card a CUDA variant ran on, and how it ran there.
struct DeviceFacts {
  std::string name;                    ///< the card's name
  int multiprocessors = 0;             ///< the card's multiprocessors (SMs)
  std::optional<LaunchFacts> launch;   ///< absent for cub, which chooses its own grid
  std::vector<double> kernel_seconds;  ///< each timed launch (CUDA events)
  /// Bytes the kernel read per second, for a variant that reads an array in device
  /// memory: Harris's measure, and the copy ceiling's.
  std::optional<double> bytes_per_second;
};

/// What a run reports beyond its sum and time: where it ran, and how.
struct GpuFacts : ptut::RunResult {
  RanOn ran_on = RanOn::host;  ///< omp_target falls back to the host without a device
  std::optional<OffloadFacts> offload;  ///< omp_target's; absent for CUDA variants
  std::optional<DeviceFacts> device;    ///< a CUDA variant's; absent for omp_target
};

/// The chapter's keys of `--json`: `ran_on`; for omp_target `offload_devices`,
/// `offload_built` and `run_seconds`; for CUDA `device`, `multiprocessors`,
/// `kernel_seconds`, with its blocks `blocks`, `threads_per_block` and `combine`,
/// and for a variant reading memory `bytes_per_second`.
void to_json(nlohmann::json& json, const GpuFacts& facts);

/// Runs the variant `config.options.variant`. `seconds` is the median of the timed
/// runs: the kernels alone (CUDA events) for a CUDA variant, the whole target
/// region for omp_target.
/// \throws RunFailed when there is no device or a CUDA call failed.
[[nodiscard]] GpuFacts run(const Config& config);

}  // namespace ch11
