#include "ptut/timing.hpp"

#include <sys/resource.h>

#include <cstdio>

namespace ptut {

double process_cpu_seconds() noexcept {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string format_seconds(double seconds) {
  struct Unit {
    double scale;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{1e-6, "ns"}, {1e-3, "µs"}, {1.0, "ms"}};
  char text[48];
  for (const Unit& unit : kUnits) {
    if (seconds < unit.scale) {
      std::snprintf(text, sizeof text, "%.3g %s", seconds * 1e3 / unit.scale, unit.name);
      return text;
    }
  }
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

}  // namespace ptut
