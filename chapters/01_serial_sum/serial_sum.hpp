/// \file
/// \brief Chapter 1: the article's `sumcalc`, serially — the baseline every
/// parallel chapter has to beat.
#pragma once

#include <cstdint>
#include <functional>

#include "ptut/cli.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"

/// Chapter 1: the serial sum.
namespace ch01 {

/// Called after each element with the element and the running total, to show a
/// small run step by step as the article's program does.
using StepObserver = std::function<void(std::uint64_t i, std::uint64_t running_sum)>;

/// The article's `sumcalc(myrange)`: adds the integers of `range` one by one.
/// Without an observer this is ptut::sum_range(), the loop every chapter shares.
[[nodiscard]] std::uint64_t sumcalc(ptut::Chunk range, unsigned work,
                                    const StepObserver& on_step = {});

/// Gauss's closed form, n(n + 1)/2: no loop at all.
[[nodiscard]] std::uint64_t sum_by_formula(std::uint64_t n) noexcept;

/// The chapter's command-line description: its variants and why it has no workers.
[[nodiscard]] ptut::ChapterSpec spec();

/// Runs the variant `options` names over 1..options.n and times it. With an
/// observer, the loop first runs once step by step for the observer, untimed.
[[nodiscard]] ptut::RunResult run(const ptut::Options& options,
                                  const StepObserver& on_step = {});

}  // namespace ch01
