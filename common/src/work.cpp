#include "ptut/work.hpp"

#include <algorithm>

namespace ptut {

// [sum_range]
std::uint64_t sum_range(Chunk chunk, unsigned work) noexcept {
  std::uint64_t sum = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last; ++i) sum += element(i, work);
  return sum;
}
// [sum_range]

// [skew]
std::uint64_t sum_skewed(Chunk chunk, unsigned work, unsigned skew,
                         std::uint64_t n) noexcept {
  if (skew == 0 || chunk.size() == 0) return sum_range(chunk, work);
  // The rounds change only skew times along 1..n: sum each stretch of equal
  // rounds with the one loop every chapter uses.
  std::uint64_t sum = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last;) {
    const std::uint64_t level = skew * (i - 1) / n;
    // first i of level + 1
    const std::uint64_t next_level = ((level + 1) * n + skew - 1) / skew + 1;
    const std::uint64_t end = std::min(chunk.last, next_level);
    sum += sum_range({i, end}, work + static_cast<unsigned>(level));
    i = end;
  }
  return sum;
}
// [skew]

}  // namespace ptut
