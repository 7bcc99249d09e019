/// \file
/// \brief The element kernel the vector-lane variants share (simd, omp_for_simd,
/// scalar): the same value and the same rounds of arithmetic as ptut::element, in a
/// form the compiler can put into vector lanes but still cannot fold.
#pragma once

#include <algorithm>
#include <cstdint>

#include "parallel_loops.hpp"
#include "ptut/lcg.hpp"

namespace ch09 {

// [lane_element]
/// Element i, after `rounds` rounds of the same LCG as ptut::element. ptut::element
/// hides its value with an empty asm on a general register, which also keeps it out
/// of vector registers. Here the value is i + (state & zero), where `zero` is 0 but
/// comes from opaque(), so the compiler must compute every element and cannot
/// replace the loop by n(n + 1)/2, yet nothing stops it from computing 4 or 8
/// elements at once. (It may still shorten the rounds: LLVM merges eight steps of
/// the LCG, a multiply and an add each, into one; numba_sum.py shows it.) With
/// rounds = 0 as a constant the loop inside disappears: the case lanes are for.
[[nodiscard]] inline std::uint64_t lane_element(std::uint64_t i, unsigned rounds,
                                                std::uint64_t zero) noexcept {
  std::uint64_t state = i;
  for (unsigned round = 0; round < rounds; ++round) {
    state = state * ptut::kLcgMultiplier + ptut::kLcgIncrement;  // Knuth's MMIX LCG
  }
  return i + (state & zero);
}
// [lane_element]

/// A run of 1..n whose elements all cost the same rounds: [first, last).
struct Stretch {
  std::uint64_t first = 1;  ///< its first element
  std::uint64_t last = 1;   ///< one past its last element
  unsigned rounds = 0;      ///< what each of its elements costs
};

/// The stretch that starts at `first` (1..n is one stretch without --skew): each
/// loop inside then runs a number of rounds that does not change from element to
/// element. Past n, an empty stretch.
[[nodiscard]] inline Stretch stretch_at(std::uint64_t first, const Load& load) noexcept {
  if (first > load.n) return {first, first, 0};
  if (load.skew == 0) return {first, load.n + 1, load.work};
  const std::uint64_t level = load.skew * (first - 1) / load.n;
  const std::uint64_t next_level = ((level + 1) * load.n + load.skew - 1) / load.skew + 1;
  return {first, std::min(load.n + 1, next_level), rounds_at(first, load)};
}

}  // namespace ch09
