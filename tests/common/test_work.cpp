#include <gtest/gtest.h>

#include "grid.hpp"
#include "oracle.hpp"
#include "ptut/work.hpp"

namespace {

TEST(Element, IsTheIntegerItselfWhateverTheWork) {
  for (unsigned work : {0u, 1u, 16u, 1000u}) {
    for (std::uint64_t i :
         std::initializer_list<std::uint64_t>{0, 1, 20, 1ULL << 40, ptut::kMaxN}) {
      EXPECT_EQ(ptut::element(i, work), i) << "i=" << i << " work=" << work;
    }
  }
}

class SumRange : public ::testing::TestWithParam<ptut::testing::SumCase> {};

TEST_P(SumRange, EachChunkAndTheirTotalAreExact) {
  const auto [n, workers, work] = GetParam();
  std::uint64_t total = 0;
  for (const ptut::Chunk& chunk : ptut::split_range(n, workers)) {
    const std::uint64_t part = ptut::sum_range(chunk, work);
    EXPECT_EQ(part, ptut::testing::expected_sum(chunk));
    total += part;
  }
  EXPECT_EQ(total, ptut::testing::expected_sum(n));
}

INSTANTIATE_TEST_SUITE_P(Grid, SumRange, ::testing::ValuesIn(ptut::testing::sum_grid()),
                         ptut::testing::case_name);

TEST(SumRange, NearTheTopOfTheRange) {
  const ptut::Chunk top{ptut::kMaxN - 1000, ptut::kMaxN + 1};
  EXPECT_EQ(ptut::sum_range(top, 2), ptut::testing::expected_sum(top));
}

}  // namespace
