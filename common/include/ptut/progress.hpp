/// \file
/// \brief A progress line on stderr for runs long enough to make a reader wonder.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "ptut/timing.hpp"

namespace ptut {

/// How many elements a worker sums between two reports of its progress: at most
/// 65,536, fewer with more `work` per element, so that a report comes well under a
/// millisecond apart and a parent can tell a slow worker from a hung one.
[[nodiscard]] constexpr std::uint64_t progress_slice(unsigned work) noexcept {
  const std::uint64_t slice = (std::uint64_t{1} << 16) / (std::uint64_t{work} + 1);
  return slice > 0 ? slice : 1;
}

/// Shows how far a long run has got, as one line on stderr rewritten in place
/// ("  37% of 6074000999 elements, 2.1 s"), and erases it when the run ends.
///
/// Quiet unless stderr is a terminal and the run has already taken a second: short
/// runs and stderr sent to a pipe or a file never see it, and stdout (where
/// `--json` goes) is never touched.
class Progress {
 public:
  /// Progress over `total` elements, on stderr if it is a terminal.
  explicit Progress(std::uint64_t total);
  /// Progress on `out`, shown only if `enabled`, first after `delay` seconds and
  /// then at most every `interval` seconds (for tests).
  Progress(std::uint64_t total, std::ostream& out, bool enabled, double delay = 1.0,
           double interval = 0.25);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Erases the line, if one was shown.
  ~Progress();

  /// Records that `done` of the total elements are finished.
  void update(std::uint64_t done);

 private:
  std::uint64_t total_;
  std::ostream& out_;
  bool enabled_;
  double delay_;
  double interval_;
  double last_shown_ = -1.0;
  Stopwatch stopwatch_;
};

}  // namespace ptut
