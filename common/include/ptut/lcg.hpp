/// \file
/// \brief The round of work `--work` asks for, once: a step of Knuth's MMIX linear
/// congruential generator (a 64-bit multiply and an add). Standard C++ only, so
/// that the GPU's copy of the element (chapter 11, compiled by nvcc) uses it too.
#pragma once

#include <cstdint>

namespace ptut {

/// Knuth's MMIX multiplier: state = state × kLcgMultiplier + kLcgIncrement.
inline constexpr std::uint64_t kLcgMultiplier = 6364136223846793005ULL;
/// Knuth's MMIX increment.
inline constexpr std::uint64_t kLcgIncrement = 1442695040888963407ULL;

}  // namespace ptut
