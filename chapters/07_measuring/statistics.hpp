/// \file
/// \brief Chapter 7: the arithmetic of measuring — medians and spread, speedup,
/// efficiency, the Karp–Flatt serial fraction, Amdahl's law, and the crossover
/// (the smallest N from which two workers beat one).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ch07 {

/// The repeated timings of one point, summarised. The median, not the mean:
/// one run disturbed by another process should not move the figure.
struct Spread {
  /// the middle timing (the mean of the two middle ones for an even count)
  double median = 0;
  double min = 0;  ///< the fastest run
  double max = 0;  ///< the slowest run
  /// (max − min) / median: how far the runs disagree, as a fraction of the median.
  [[nodiscard]] double relative() const noexcept {
    return median > 0 ? (max - min) / median : 0.0;
  }
};

/// Summarises a non-empty set of timings in seconds.
/// \throws std::invalid_argument for no timings, or a negative or non-finite one.
[[nodiscard]] Spread spread_of(std::vector<double> seconds);

/// How many times faster `seconds` is than `baseline_seconds`.
/// \throws std::invalid_argument unless both are positive.
[[nodiscard]] double speedup(double baseline_seconds, double seconds);

/// Speedup per worker: 1 is perfect use of `workers` workers.
[[nodiscard]] double efficiency(double speedup, unsigned workers);

// [karp_flatt]
/// The Karp–Flatt metric: the serial fraction e that Amdahl's law would need to
/// explain a measured speedup S on K workers, e = (1/S − 1/K) / (1 − 1/K).
/// Constant e as K grows: a serial part limits the run. Growing e: overhead
/// that grows with K (start-up, contention, too few cores) does. No value for
/// K = 1, where the formula divides by zero.
[[nodiscard]] std::optional<double> karp_flatt(double speedup, unsigned workers);

/// Amdahl's law: the speedup on K workers of a job whose serial fraction is e,
/// S(K) = 1 / (e + (1 − e) / K).
[[nodiscard]] double amdahl_speedup(double serial_fraction, unsigned workers);
// [karp_flatt]

/// One N of a crossover search: the median time with one worker and with two.
struct Pair {
  std::uint64_t n = 0;     ///< the problem size
  double one_worker = 0;   ///< median seconds with 1 worker
  double two_workers = 0;  ///< median seconds with 2 workers
};

/// Two workers "beat" one when they are faster by more than this factor: a
/// median 2% ahead is within the scatter of repeated runs, not a win.
inline constexpr double kClearWin = 1.05;

// [crossover]
/// The smallest N from which two workers beat one (by kClearWin) at every larger
/// N measured, or nothing when the largest N measured does not favour them (or
/// nothing was measured). "From which on", not "the first N where": one lucky
/// run at a small N must not be reported as the answer.
[[nodiscard]] std::optional<std::uint64_t> crossover(std::vector<Pair> pairs);
// [crossover]

}  // namespace ch07
