// Chapter 11: the variants, and the run that times one of them.
#include "gpu.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "omp_target.hpp"
#include "ptut/timing.hpp"

namespace ch11 {
namespace {

// [variants]
struct Way {
  ptut::Variant variant;
  std::optional<Kernel> kernel;  // the CUDA kernel it launches; none: OpenMP offload
  bool blocks = true;            // launches blocks of its own: --threads, --combine
  bool fixed_grid = false;       // a grid of --blocks, whatever N
  bool reads_memory = false;     // sums an array in device memory: its bandwidth is shown
  TargetRun (*offload)(std::uint64_t, unsigned) = nullptr;  // OpenMP offload's loop
};
const Way kWays[] = {
    {.variant = {"omp_target",
                 "#pragma omp target teams distribute parallel for reduction: OpenMP "
                 "offload; on the host when there is no GPU; exact"},
     .kernel = std::nullopt,
     .blocks = false,
     .offload = &omp_target_sum},
    {.variant = {"omp_target_simd",
                 "#pragma omp target teams distribute parallel for simd reduction: the "
                 "same, on every lane of a warp (GCC runs a parallel for on one lane of "
                 "each); exact"},
     .kernel = std::nullopt,
     .blocks = false,
     .offload = &omp_target_simd_sum},
#ifdef PTUT_CH11_CUDA
    {{"interleaved", "Harris 1: a thread per element, tree with tid % (2s) == 0; exact"},
     Kernel::interleaved},
    {{"sequential", "Harris 3: the tree with sequential addressing (tid < s); exact"},
     Kernel::sequential},
    {{"first_add", "Harris 4: two elements per thread added on load; exact"},
     Kernel::first_add},
    {{"warp_shuffle",
      "Harris 5: the last warp's 32 values added by __shfl_down_sync; exact"},
     Kernel::warp_shuffle},
    {{"grid_stride", "Harris 7: a fixed grid, many elements per thread; exact"},
     Kernel::grid_stride,
     true,
     true},
    {{"cub", "cub::DeviceReduce::Sum over generated elements: the library; exact"},
     Kernel::cub,
     false},
    {{"array", "grid_stride over a real array of N values in device memory; exact"},
     Kernel::array,
     true,
     true,
     true},
#endif
};
// [variants]

const Way& way_of(const std::string& variant) {
  return ptut::find_variant(kWays, variant);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

GpuFacts run_omp_target(const Config& config) {
  const ptut::Options& options = config.options;
  const auto offload = way_of(options.variant).offload;
  GpuFacts result;
  std::vector<double> seconds;
  TargetRun last;
  // Timed several times, the first run also loads the offload image and sets up
  // the device: it is left out, as the CUDA variants' warm-up launch is.
  if (config.repeat > 1) (void)offload(options.n, options.work);
  for (unsigned r = 0; r < config.repeat; ++r) {
    const ptut::Stopwatch stopwatch;
    last = offload(options.n, options.work);
    seconds.push_back(stopwatch.seconds());
    if (r > 0 && last.sum != result.sum)
      throw RunFailed(options.variant + ": runs disagreed");
    result.sum = last.sum;
  }
  result.seconds = median(seconds);
  result.ran_on = last.on_device ? RanOn::device : RanOn::host;
  result.offload = OffloadFacts{last.devices, last.offload_built, std::move(seconds)};
  return result;
}

}  // namespace

bool is_cuda(const std::string& variant) {
  return way_of(variant).kernel.has_value();
}
bool has_blocks(const std::string& variant) {
  return way_of(variant).blocks;
}
bool has_fixed_grid(const std::string& variant) {
  return way_of(variant).fixed_grid;
}

ptut::ChapterSpec spec() {
  return {
      .target = "ch11_gpu",
      .title = "Chapter 11: the GPU",
      .about =
          "Chapter 11: the sum of 1..N on a GPU: OpenMP offload, and CUDA kernels "
          "that follow Mark Harris's reduction steps, CUB's reduction and an array in "
          "device memory.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "omp_target",
      .has_workers = false,
      .no_workers_reason =
          "a GPU runs thousands of threads: the CUDA variants take --threads (per "
          "block) and --blocks, and OpenMP offload picks its own teams",
  };
}

#ifdef PTUT_CH11_CUDA
GpuFacts run_cuda(const Config& config) {
  const ptut::Options& options = config.options;
  if (const auto reason = no_device()) {
    throw RunFailed("no CUDA device to run " + options.variant + " on (" + *reason + ")");
  }
  DeviceJob job;
  job.kernel = *way_of(options.variant).kernel;
  job.name = options.variant;
  job.n = options.n;
  job.work = options.work;
  job.threads = config.threads;
  job.blocks = config.blocks;
  job.combine = config.combine;
  job.repeat = config.repeat;
  DeviceRun device;
  try {
    device = run_on_device(job);
  } catch (const CudaError& failure) {
    throw RunFailed(failure.what());
  }
  if (!device.every_launch_agreed) {
    throw RunFailed(options.variant + ": the timed launches gave different totals");
  }
  GpuFacts result;
  result.sum = device.sum;
  result.seconds = median(device.kernel_seconds);
  result.ran_on = RanOn::device;
  DeviceFacts& facts = result.device.emplace();
  facts.name = device.device;
  facts.multiprocessors = device.multiprocessors;
  if (has_blocks(options.variant))
    facts.launch = LaunchFacts{device.blocks, device.threads, config.combine};
  facts.kernel_seconds = device.kernel_seconds;
  if (way_of(options.variant).reads_memory && result.seconds > 0) {
    // bytes the kernel read, per second: Harris's measure, and the copy's
    facts.bytes_per_second = 8.0 * static_cast<double>(options.n) / result.seconds;
  }
  return result;
}
#endif

void to_json(nlohmann::json& json, const GpuFacts& facts) {
  json = {{"ran_on", ptut::name_of(kRanOn, facts.ran_on)}};
  if (facts.offload) {
    json["offload_devices"] = facts.offload->devices;
    json["offload_built"] = facts.offload->built;
    json["run_seconds"] = facts.offload->run_seconds;
  }
  if (facts.device) {
    json["device"] = facts.device->name;
    json["multiprocessors"] = facts.device->multiprocessors;
    if (facts.device->launch) {
      json["blocks"] = facts.device->launch->blocks;
      json["threads_per_block"] = facts.device->launch->threads_per_block;
      json["combine"] = ptut::name_of(kCombines, facts.device->launch->combine);
    }
    json["kernel_seconds"] = facts.device->kernel_seconds;
    if (facts.device->bytes_per_second)
      json["bytes_per_second"] = *facts.device->bytes_per_second;
  }
}

GpuFacts run(const Config& config) {
  if (!is_cuda(config.options.variant)) return run_omp_target(config);
#ifdef PTUT_CH11_CUDA
  return run_cuda(config);
#else
  throw RunFailed("this build has no CUDA variants");  // the command line refuses them
#endif
}

}  // namespace ch11
