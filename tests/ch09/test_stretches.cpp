// Chapter 9's stretches (lane_kernel.hpp): the runs of 1..n whose elements cost the
// same rounds, which the lane variants loop over. The sum cannot show a wrong
// boundary (element i is i whatever its rounds), so the stretches are checked
// against rounds_at() element by element.
#include <gtest/gtest.h>

#include <cstdint>

#include "lane_kernel.hpp"
#include "parallel_loops.hpp"

namespace {

// Walks the stretches of `load` and checks they tile 1..n in order, each element
// costing what rounds_at() says; returns how many stretches there were.
unsigned check_stretches(const ch09::Load& load) {
  std::uint64_t next = 1;
  unsigned count = 0;
  for (ch09::Stretch s = ch09::stretch_at(1, load); s.first < s.last;
       s = ch09::stretch_at(s.last, load)) {
    EXPECT_EQ(s.first, next);
    EXPECT_GT(s.last, s.first);
    for (std::uint64_t i = s.first; i < s.last; ++i) {
      if (s.rounds != ch09::rounds_at(i, load)) {
        ADD_FAILURE() << "element " << i << " of " << load.n << " with skew " << load.skew
                      << ": stretch says " << s.rounds << " rounds, rounds_at "
                      << ch09::rounds_at(i, load);
        return count;
      }
    }
    next = s.last;
    ++count;
  }
  EXPECT_EQ(next, load.n + 1);
  return count;
}

TEST(Ch09Stretches, TileTheRangeWithTheRoundsOfEachElement) {
  for (std::uint64_t n = 0; n <= 200; ++n) {
    for (unsigned skew = 0; skew <= ptut::kMaxSkew; ++skew) {
      const ch09::Load load{.n = n, .work = 3, .skew = skew};
      const unsigned count = check_stretches(load);
      if (n > 0) {
        EXPECT_LE(count, skew == 0 ? 1u : skew) << n << " " << skew;
      }
      if (HasFailure()) return;
    }
  }
}

TEST(Ch09Stretches, BoundariesAreRightFarPastFourBillion) {
  // Only the elements around each boundary: the range is too long to walk.
  const ch09::Load load{.n = 6'074'000'999, .work = 0, .skew = ptut::kMaxSkew};
  std::uint64_t next = 1;
  unsigned count = 0;
  for (ch09::Stretch s = ch09::stretch_at(1, load); s.first < s.last;
       s = ch09::stretch_at(s.last, load)) {
    ASSERT_EQ(s.first, next);
    EXPECT_EQ(s.rounds, ch09::rounds_at(s.first, load));
    EXPECT_EQ(s.rounds, ch09::rounds_at(s.last - 1, load));
    if (s.last <= load.n) {
      EXPECT_NE(ch09::rounds_at(s.last, load), s.rounds);
    }
    next = s.last;
    ++count;
  }
  EXPECT_EQ(next, load.n + 1);
  EXPECT_EQ(count, ptut::kMaxSkew);
}

}  // namespace
