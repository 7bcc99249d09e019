/// \file
/// \brief What machine and toolchain a run happened on: every measured number in
/// this tutorial is quoted with it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>

namespace ptut {

/// The cache line size of the x86-64 and most ARM64 cores this tutorial runs on.
/// A constant, not std::hardware_destructive_interference_size: g++ warns
/// (-Winterference-size) when that one is used in a header, since it may differ
/// between compiler versions and so break an ABI.
inline constexpr std::size_t kCacheLine = 64;

/// The facts that make a timing reproducible, or explain why it differs.
struct MachineInfo {
  std::string compiler;          ///< e.g. "GCC 12.2.0"
  std::string standard_library;  ///< e.g. "libstdc++ 12 (20220819)"
  std::string cxx_standard;      ///< e.g. "C++20 (__cplusplus = 202002)"
  std::string build;             ///< build type and optimisation flags
  std::string cpu_model;         ///< from /proc/cpuinfo, or "unknown"
  unsigned logical_cores = 0;    ///< std::thread::hardware_concurrency()
  /// CPUs in this process's affinity mask (sched_getaffinity)
  unsigned usable_cores = 0;
};

/// Pins the calling thread (or single-threaded process) to one core: worker k
/// (1-based) gets the k-th core this process may use, round robin. Left alone, the
/// scheduler often starts a new worker on its parent's core and moves it only
/// milliseconds later, longer than a million elements take.
void pin_to_core(unsigned worker) noexcept;

/// Describes this machine and this build.
[[nodiscard]] MachineInfo describe_machine();

/// Prints the facts as an aligned table, one per line, indented by two spaces.
void print_machine(const MachineInfo& machine, std::ostream& out);

/// The same facts as a JSON object.
[[nodiscard]] nlohmann::json to_json(const MachineInfo& machine);

}  // namespace ptut
