/// \file
/// \brief Wall-clock timing of a run.
#pragma once

#include <chrono>
#include <string>

namespace ptut {

/// Measures elapsed wall-clock time from its construction (or the last restart()).
///
/// Uses `std::chrono::steady_clock`: monotonic, so a clock adjustment during a
/// run cannot produce a negative or inflated time. Wall time, not CPU time, is what
/// a parallel run is meant to shrink.
class Stopwatch {
 public:
  Stopwatch() noexcept : start_(std::chrono::steady_clock::now()) {}
  /// Starts measuring again from now.
  void restart() noexcept { start_ = std::chrono::steady_clock::now(); }
  /// Seconds since construction or the last restart().
  [[nodiscard]] double seconds() const noexcept {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

/// A duration for people: "850 ns", "12.3 µs", "4.56 ms", "1.234 s".
[[nodiscard]] std::string format_seconds(double seconds);

}  // namespace ptut
