#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ch07 {

Spread spread_of(std::vector<double> seconds) {
  if (seconds.empty()) throw std::invalid_argument("no timings to summarise");
  for (const double s : seconds) {
    if (!std::isfinite(s) || s < 0)
      throw std::invalid_argument(
          "a timing must be a finite, non-negative number of seconds");
  }
  std::sort(seconds.begin(), seconds.end());
  const std::size_t middle = seconds.size() / 2;
  Spread spread;
  spread.median = seconds.size() % 2 == 1 ? seconds[middle]
                                          : (seconds[middle - 1] + seconds[middle]) / 2;
  spread.min = seconds.front();
  spread.max = seconds.back();
  return spread;
}

double speedup(double baseline_seconds, double seconds) {
  if (!(baseline_seconds > 0) || !(seconds > 0))
    throw std::invalid_argument("a speedup needs two positive times");
  return baseline_seconds / seconds;
}

double efficiency(double speedup, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("efficiency of zero workers");
  return speedup / workers;
}

std::optional<double> karp_flatt(double speedup, unsigned workers) {
  if (workers < 2 || !(speedup > 0)) return std::nullopt;
  const double k = workers;
  return (1 / speedup - 1 / k) / (1 - 1 / k);
}

double amdahl_speedup(double serial_fraction, unsigned workers) {
  if (workers == 0) throw std::invalid_argument("Amdahl's law for zero workers");
  return 1 / (serial_fraction + (1 - serial_fraction) / workers);
}

std::optional<std::uint64_t> crossover(std::vector<Pair> pairs) {
  std::sort(pairs.begin(), pairs.end(),
            [](const Pair& a, const Pair& b) { return a.n < b.n; });
  std::optional<std::uint64_t> from;
  // Walk down from the largest N while two workers keep winning.
  for (auto pair = pairs.rbegin(); pair != pairs.rend(); ++pair) {
    if (!(pair->two_workers * kClearWin < pair->one_worker)) break;
    from = pair->n;
  }
  return from;
}

}  // namespace ch07
