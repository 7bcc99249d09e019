#include "ptut/timing.hpp"

#include <cstdio>

namespace ptut {

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
