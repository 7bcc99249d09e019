#include "ptut/machine.hpp"

#include <sched.h>

#include <fstream>
#include <ostream>
#include <thread>

namespace ptut {
namespace {

std::string compiler() {
#if defined(__clang__)
  return std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
  return "GCC " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown compiler";
#endif
}

std::string standard_library() {
#if defined(_GLIBCXX_RELEASE)
  return "libstdc++ " + std::to_string(_GLIBCXX_RELEASE) + " (" +
         std::to_string(__GLIBCXX__) + ")";
#elif defined(_LIBCPP_VERSION)
  return "libc++ " + std::to_string(_LIBCPP_VERSION);
#else
  return "unknown standard library";
#endif
}

std::string cxx_standard() {
  const long value = __cplusplus;
  std::string name = value >= 202302L   ? "C++23"
                     : value >= 202002L ? "C++20"
                                        : "C++17 or older";
  return name + " (__cplusplus = " + std::to_string(value) + ")";
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size())
        return line.substr(colon + 2);
    }
  }
  return "unknown";
}

// [usable_cores]
unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return static_cast<unsigned>(CPU_COUNT(&set));
}
// [usable_cores]

}  // namespace

void pin_to_core(unsigned worker) noexcept {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (worker == 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  int wanted =
      static_cast<int>((worker - 1) % static_cast<unsigned>(CPU_COUNT(&allowed)));
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed) || wanted-- > 0) continue;
    cpu_set_t mine;
    CPU_ZERO(&mine);
    CPU_SET(cpu, &mine);
    sched_setaffinity(0, sizeof mine, &mine);  // 0: the calling thread
    return;
  }
}

MachineInfo describe_machine() {
  MachineInfo machine;
  machine.compiler = compiler();
  machine.standard_library = standard_library();
  machine.cxx_standard = cxx_standard();
  machine.build = std::string(PTUT_BUILD_TYPE) + ", " + PTUT_CXX_FLAGS;
  machine.cpu_model = cpu_model();
  machine.logical_cores = std::thread::hardware_concurrency();
  machine.usable_cores = usable_cores();
  return machine;
}

void print_machine(const MachineInfo& machine, std::ostream& out) {
  out << "  compiler          " << machine.compiler << '\n'
      << "  standard library  " << machine.standard_library << '\n'
      << "  C++ standard      " << machine.cxx_standard << '\n'
      << "  build             " << machine.build << '\n'
      << "  CPU               " << machine.cpu_model << '\n'
      << "  logical cores     " << machine.logical_cores
      << " (std::thread::hardware_concurrency)\n"
      << "  usable cores      " << machine.usable_cores
      << " (sched_getaffinity: the ones this process may use)\n";
}

nlohmann::json to_json(const MachineInfo& machine) {
  return {{"compiler", machine.compiler},
          {"standard_library", machine.standard_library},
          {"cxx_standard", machine.cxx_standard},
          {"build", machine.build},
          {"cpu_model", machine.cpu_model},
          {"logical_cores", machine.logical_cores},
          {"usable_cores", machine.usable_cores}};
}

}  // namespace ptut
