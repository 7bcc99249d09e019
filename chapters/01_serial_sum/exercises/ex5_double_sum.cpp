// Exercise 5's program: the article's sum, added into a double. A double holds
// every whole number up to 2^53 exactly; above it, only every other one, then
// every fourth, and an addition rounds. This adds 1..N into a double and into a
// 64-bit integer side by side, and says where the double first went wrong.
//
//   build/bin/ch01_ex5_double_sum [N]      (default N = 20; try 200000000)
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/core.hpp"

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  constexpr std::uint64_t kExactLimit = std::uint64_t{1} << 53;
  double approximate = 0;
  std::uint64_t exact = 0;
  std::uint64_t first_wrong = 0, past_limit = 0;  // 0: not yet
  for (std::uint64_t i = 1; i <= args.n; ++i) {
    approximate += static_cast<double>(i);
    exact += i;
    if (past_limit == 0 && exact > kExactLimit) past_limit = i;
    // Compared as integers: `exact` may not be a double, and `approximate`,
    // a whole number below 2^64, converts back without loss.
    if (first_wrong == 0 && static_cast<std::uint64_t>(approximate) != exact)
      first_wrong = i;
  }
  std::printf("double: %.0f, 64-bit integer: %" PRIu64 "\n", approximate, exact);
  if (past_limit != 0)
    std::printf("the sum passed 2^53 = %" PRIu64 " at i = %" PRIu64 "\n", kExactLimit,
                past_limit);
  if (first_wrong == 0)
    std::printf("the double was exact all the way to N = %" PRIu64 "\n", args.n);
  else
    std::printf("the double first went wrong at i = %" PRIu64 "\n", first_wrong);
  return ptut::report_sum(exact, args.n);
}
