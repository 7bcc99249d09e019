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
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

/// A clock for watchdogs: seconds this process was able to watch. It runs like a
/// Stopwatch, except that a gap of more than `longest_gap` seconds between two
/// readings is left out. A parent that reads its clock on every tick (every 50 ms)
/// sees such a gap only when it did not run at all: the job was stopped (Ctrl-Z and
/// `fg`, SIGSTOP and SIGCONT, a debugger) or the machine starved it. Its workers
/// were stopped or unwatched too, and their silence meanwhile is not theirs to
/// answer for: a hang timeout measured on this clock never counts it.
class WatchdogClock {
 public:
  /// A clock that leaves out gaps between readings longer than `longest_gap` seconds.
  explicit WatchdogClock(double longest_gap = 1.0) noexcept : longest_gap_(longest_gap) {}
  /// Seconds since construction, less every gap left out so far.
  [[nodiscard]] double seconds() noexcept {
    const double now = stopwatch_.seconds();
    if (now - last_reading_ > longest_gap_) left_out_ += now - last_reading_;
    last_reading_ = now;
    return now - left_out_;
  }

 private:
  Stopwatch stopwatch_;
  double longest_gap_;
  double last_reading_ = 0;
  double left_out_ = 0;
};

/// CPU time this process has used so far, all its threads together, user and
/// system, in seconds (getrusage). Beside a wall-clock time it says how many cores
/// worked: a run on two busy cores uses two seconds of CPU time per second.
[[nodiscard]] double process_cpu_seconds() noexcept;

/// A duration for people: "850 ns", "12.3 µs", "4.56 ms", "1.234 s".
[[nodiscard]] std::string format_seconds(double seconds);

}  // namespace ptut
