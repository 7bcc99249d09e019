/// \file
/// \brief The `main` of the project's Google Benchmark programs.
#pragma once

#include <benchmark/benchmark.h>

#include "ptut/contract.hpp"

namespace ptut {

/// Runs the registered benchmarks as `BENCHMARK_MAIN()` does, except that an option
/// Google Benchmark does not know is a usage error, exit status 2 as in every
/// program of the project (`BENCHMARK_MAIN()` exits 1, the status of a failed run).
inline int run_benchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return kExitUsage;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return kExitOk;
}

}  // namespace ptut
