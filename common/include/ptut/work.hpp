/// \file
/// \brief The per-element kernel behind `--work`, and the private loop every
/// chapter uses to sum a chunk.
///
/// Every chapter, serial or parallel, gets its elements from element() and its
/// private partial sums from sum_range(). One kernel for every run is what makes a
/// speedup honest: a serial loop compiled differently from the workers' loop can
/// show a "2.7× speedup on 2 cores" that is only a difference in code generation.
#pragma once

#include <cstdint>

#include "ptut/lcg.hpp"
#include "ptut/range.hpp"

namespace ptut {

/// The largest `--work` accepted: a million rounds cost about a millisecond per
/// element, already far past any run a reader wants to wait for.
inline constexpr unsigned kMaxWork = 1'000'000;

/// Hides a value from the optimiser: after this the compiler must assume `value`
/// may hold anything, so it can neither fold a computation into a constant nor
/// replace a loop by its closed form. Costs at most a register move. (GCC/Clang inline
/// assembly, the same trick as Google Benchmark's DoNotOptimize.)
inline void opaque(std::uint64_t& value) noexcept {
  asm volatile("" : "+r"(value));
}

/// The value element i contributes to the sum, which is always i.
///
/// Before returning it the kernel does `work` rounds of dependent arithmetic (a
/// 64-bit multiply and an add each: a few cycles, about a nanosecond) whose result the
/// compiler must compute but that cannot change the answer: `--work` makes each element
/// expensive without changing the sum n(n + 1)/2. With work = 0 it is one add per
/// element, but still a real loop: opaque() stops the compiler from summing the
/// range by formula or with vector instructions, which would measure something else.
// [element]
[[nodiscard]] inline std::uint64_t element(std::uint64_t i, unsigned work) noexcept {
  std::uint64_t state = i;
  for (unsigned round = 0; round < work; ++round) {
    state = state * kLcgMultiplier + kLcgIncrement;  // Knuth's MMIX LCG
    opaque(state);
  }
  std::uint64_t value = i;
  opaque(value);
  return value;
}
// [element]

/// The sum of element(i, work) over a chunk: the private, lock-free loop that
/// chapter 01 times and every parallel worker runs on its own chunk. Compiled once,
/// in common/, so all chapters run the same machine code.
[[nodiscard]] std::uint64_t sum_range(Chunk chunk, unsigned work) noexcept;

/// The largest `--skew` a chapter accepts: element i costs up to this many extra rounds.
inline constexpr unsigned kMaxSkew = 64;

/// The sum of a chunk of 1..n when element i costs `work + skew × (i − 1) / n`
/// rounds of element(): with skew > 0 the work grows along the range, so equal
/// halves are unequal work (chapters 5 and 10 balance it with small chunks).
/// skew = 0 is sum_range(chunk, work).
[[nodiscard]] std::uint64_t sum_skewed(Chunk chunk, unsigned work, unsigned skew,
                                       std::uint64_t n) noexcept;

}  // namespace ptut
