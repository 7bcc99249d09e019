#include "serial_sum.hpp"

#include <algorithm>
#include <stdexcept>

#include "ptut/progress.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace ch01 {

// [sumcalc]
std::uint64_t sumcalc(ptut::Chunk range, unsigned work, const StepObserver& on_step) {
  if (!on_step) return ptut::sum_range(range, work);  // the loop every chapter shares
  std::uint64_t sum = 0;
  for (std::uint64_t i = range.first; i < range.last; ++i) {
    sum += ptut::element(i, work);
    on_step(i, sum);
  }
  return sum;
}
// [sumcalc]

// [formula]
std::uint64_t sum_by_formula(std::uint64_t n) noexcept {
  return ptut::closed_form(n);
}
// [formula]

namespace {

// The variants: the loop visits every element; the formula visits none, so it has
// no steps to show and no time per element.
struct Way {
  ptut::Variant variant;  // the name --variant takes, its line in --help
};
const Way kWays[] = {
    {{"loop", "the article's sumcalc: add 1, 2, ..., N one at a time", true}},
    {{"formula", "Gauss's closed form n(n+1)/2: no loop, so no --work", true, false}},
};

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch01_serial_sum",
      .title = "Chapter 1: the serial sum",
      .about =
          "Chapter 1: the sum of 1..N on one core, the way the article's sumcalc does "
          "it, and by Gauss's formula. Prints the machine and toolchain first.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "loop",
      .has_workers = false,
      .no_workers_reason =
          "chapter 1 is serial and takes no --workers; the parallel chapters do",
  };
}

ptut::RunResult run(const ptut::Options& options, const StepObserver& on_step) {
  const ptut::Chunk range{1, options.n + 1};
  const bool loop = ptut::find_variant(kWays, options.variant).variant.visits_elements;
  if (loop && on_step) {
    (void)sumcalc(range, options.work, on_step);  // shown, not timed: printing is slow
  }
  ptut::RunResult result;
  ptut::Progress progress(options.n);
  const ptut::Stopwatch stopwatch;
  if (loop) {
    // Slices of a few milliseconds each, so that a long run can show progress;
    // every slice is the same kernel loop.
    const std::uint64_t slice =
        std::max<std::uint64_t>(1, (1u << 22) / (options.work + 1));
    for (std::uint64_t first = 1; first <= options.n; first += slice) {
      const std::uint64_t last = std::min(options.n + 1, first + slice);
      result.sum += sumcalc(ptut::Chunk{first, last}, options.work);
      progress.update(last - 1);
    }
  } else {
    result.sum = sum_by_formula(options.n);
  }
  result.seconds = stopwatch.seconds();
  return result;
}

}  // namespace ch01
