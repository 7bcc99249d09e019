/// \file
/// \brief The tests' oracle: the exact sum of 1..N, computed independently of
/// common/ (128-bit arithmetic, no cleverness), so a bug there cannot hide itself.
#pragma once

#include <cstdint>
#include <functional>
#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "ptut/range.hpp"

namespace ptut::testing {

// __extension__: GCC/Clang, quiet under -Wpedantic
__extension__ using Wide = unsigned __int128;

/// first + (first+1) + … + (last−1), in 128 bits.
[[nodiscard]] constexpr Wide wide_sum(Wide first, Wide last) {
  return last <= first ? 0 : (last - first) * (first + last - 1) / 2;
}

/// The exact sum of a chunk. \throws std::overflow_error if it does not fit in 64 bits.
[[nodiscard]] constexpr std::uint64_t expected_sum(Chunk chunk) {
  const Wide sum = wide_sum(chunk.first, chunk.last);
  if (sum > std::numeric_limits<std::uint64_t>::max()) {
    throw std::overflow_error("the sum does not fit in 64 bits");
  }
  return static_cast<std::uint64_t>(sum);
}

/// The exact sum 1 + 2 + … + n. \throws std::overflow_error if it does not fit.
[[nodiscard]] constexpr std::uint64_t expected_sum(std::uint64_t n) {
  return expected_sum(Chunk{1, n + 1});
}

/// Runs a racy `run` of 1..n again and again, stopping at the first run that
/// loses an update or once `budget` has passed, and returns the smallest sum seen:
/// below expected_sum(n) if any run lost something. A budget of time, not a count
/// of runs: a race needs both workers on a core at once, and under `ctest -j` on a
/// two-core machine another test often holds one core for many short runs in a row
/// (20 runs of two workers once lost nothing in CI). This is how long we are
/// willing to wait for the race, never a measurement.
[[nodiscard]] inline std::uint64_t smallest_sum(
    std::chrono::milliseconds budget, std::uint64_t n,
    const std::function<std::uint64_t()>& run) {
  const auto give_up = std::chrono::steady_clock::now() + budget;
  std::uint64_t smallest = expected_sum(n);
  do {
    smallest = std::min(smallest, run());
  } while (smallest == expected_sum(n) && std::chrono::steady_clock::now() < give_up);
  return smallest;
}

}  // namespace ptut::testing
