/// \file
/// \brief Chapter 11: the sum on the GPU: CUDA kernels that follow Mark Harris's
/// reduction steps, CUB, an array in device memory, and OpenMP offload.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

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

/// Runs the variant `config.options.variant`. `seconds` is the median of the timed
/// runs: the kernels alone (CUDA events) for a CUDA variant, the whole target
/// region for omp_target. RunResult::extra says where it ran and how.
/// \throws RunFailed when there is no device or a CUDA call failed.
[[nodiscard]] ptut::RunResult run(const Config& config);

}  // namespace ch11
