// Chapter 11: the GPU. Parse, run on the device (or OpenMP's host fallback), report.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "gpu.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch11::spec());
  ch11::Config config;
  std::string combine = "atomic";
  CLI::App& app = cli.app();
  auto* threads =
      app.add_option("--threads", config.threads,
                     "Threads per block for the CUDA kernels, a power of two from 32 to "
                     "1024 (default " +
                         std::to_string(ch11::kDefaultThreads) + ")")
          ->transform(ptut::whole_number(32, 1024, "at most 1024 threads in a block"));
  auto* blocks =
      app.add_option("--blocks", config.blocks,
                     "Blocks in grid_stride's and array's fixed grid (default: 8 per "
                     "multiprocessor, enough to fill the card)")
          ->transform(ptut::whole_number(1, 0x7fffffff, "at most 2^31 - 1 blocks"));
  auto* combine_option =
      app.add_option("--combine", combine,
                     "How the blocks' sums become one: atomic (each block adds its sum "
                     "with atomicAdd, the default) or pass (a second kernel adds them)")
          ->check(CLI::IsMember(ptut::names_of(ch11::kCombines)));
  app.add_option("--repeat", config.repeat,
                 "Timed runs after one warm-up (CUDA); the median is reported")
      ->transform(ptut::whole_number(1, 100, "at most 100 runs"));
  ptut::Options options = cli.parse_or_exit(argc, argv);
  const std::string& variant = options.variant;
  if (threads->count() > 0 && (config.threads & (config.threads - 1)) != 0) {
    cli.fail_usage("--threads: " + std::to_string(config.threads) +
                   " is not a power of two (the tree halves the block at every step)");
  }
  if ((threads->count() > 0 || combine_option->count() > 0) &&
      !ch11::has_blocks(variant)) {
    cli.fail_usage(std::string(threads->count() > 0 ? "--threads" : "--combine") + ": " +
                   variant + " launches no blocks of its own");
  }
  if (blocks->count() > 0 && !ch11::has_fixed_grid(variant)) {
    cli.fail_usage("--blocks: only grid_stride and array have a fixed grid; " + variant +
                   " launches as many blocks as N needs");
  }
  config.combine = ptut::named_value(ch11::kCombines, combine);
  config.options = options;

  ch11::GpuFacts result;
  try {
    result = ch11::run(config);
  } catch (const ch11::RunFailed& failure) {
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json) {
    std::cout << cli.spec().title << ": " << variant << ", ";
    if (result.ran_on == ch11::RanOn::host) {
      const ch11::OffloadFacts& offload = result.offload.value();
      std::cout << "ran on the host: OpenMP found " << offload.devices
                << " offload device(s)"
                << (offload.built ? "" : " (built without -foffload: host code only)")
                << '\n';
    } else {
      std::cout << "ran on " << (result.device ? result.device->name : "the GPU");
      if (result.device && result.device->launch) {
        const ch11::LaunchFacts& launch = *result.device->launch;
        std::cout << ", " << launch.blocks << " blocks of " << launch.threads_per_block
                  << " threads, " << ptut::name_of(ch11::kCombines, launch.combine)
                  << " combine";
      }
      std::cout << '\n';
    }
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
