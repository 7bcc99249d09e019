#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "grid.hpp"
#include "oracle.hpp"
#include "ptut/range.hpp"

namespace {

using ptut::Chunk;
using ptut::testing::expected_sum;

class SplitRange : public ::testing::TestWithParam<ptut::testing::SumCase> {};

TEST_P(SplitRange, CoversOneToNInOrderWithSizesWithinOne) {
  const auto [n, workers, work] = GetParam();
  const std::vector<Chunk> chunks = ptut::split_range(n, workers);
  ASSERT_EQ(chunks.size(), workers);
  std::uint64_t next = 1;
  std::uint64_t smallest = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t largest = 0;
  for (const Chunk& chunk : chunks) {
    EXPECT_EQ(chunk.first, next) << "chunks must be contiguous";
    EXPECT_LE(chunk.first, chunk.last);
    next = chunk.last;
    smallest = std::min(smallest, chunk.size());
    largest = std::max(largest, chunk.size());
  }
  EXPECT_EQ(next, n + 1) << "chunks must end at n";
  EXPECT_LE(largest - smallest, 1u);
}

TEST_P(SplitRange, ChunkSumsAddUpToTheClosedForm) {
  const auto [n, workers, work] = GetParam();
  std::uint64_t total = 0;
  for (const Chunk& chunk : ptut::split_range(n, workers))
    total += ptut::closed_form(chunk);
  EXPECT_EQ(total, expected_sum(n));
}

INSTANTIATE_TEST_SUITE_P(Grid, SplitRange, ::testing::ValuesIn(ptut::testing::sum_grid()),
                         ptut::testing::case_name);

TEST(SplitRange, MoreWorkersThanElementsGivesEmptyChunksAtTheEnd) {
  const auto chunks = ptut::split_range(3, 8);
  ASSERT_EQ(chunks.size(), 8u);
  EXPECT_EQ(chunks[0], (Chunk{1, 2}));
  EXPECT_EQ(chunks[2], (Chunk{3, 4}));
  for (std::size_t i = 3; i < chunks.size(); ++i) EXPECT_TRUE(chunks[i].empty()) << i;
}

TEST(SplitRange, TheArticlesSplitOfTwenty) {
  // The article passes range(1, 11) and range(11, 21) to its two processes.
  EXPECT_EQ(ptut::split_range(20, 2), (std::vector<Chunk>{{1, 11}, {11, 21}}));
}

TEST(SplitRange, ZeroWorkersAndUnsummableNAreRefused) {
  EXPECT_THROW((void)ptut::split_range(20, 0), std::invalid_argument);
  EXPECT_THROW((void)ptut::split_range(ptut::kMaxN + 1, 2), std::invalid_argument);
  EXPECT_EQ(ptut::split_range(ptut::kMaxN, 1).back().last, ptut::kMaxN + 1);
}

TEST(ClosedForm, MatchesTheOracle) {
  for (std::uint64_t n : std::initializer_list<std::uint64_t>{
           0, 1, 2, 3, 20, 1'000'000, 2'000'000, 4'294'967'296, ptut::kMaxN - 1,
           ptut::kMaxN}) {
    EXPECT_EQ(ptut::closed_form(n), expected_sum(n)) << "n=" << n;
  }
  EXPECT_EQ(ptut::closed_form(20), 210u);
}

TEST(ClosedForm, KMaxNIsTheLargestNWhoseSumFits) {
  EXPECT_NO_THROW((void)expected_sum(ptut::kMaxN));
  EXPECT_THROW((void)expected_sum(ptut::kMaxN + 1), std::overflow_error);
}

TEST(ClosedForm, ChunksNearTheTopDoNotOverflow) {
  // (first + last − 1) · size would overflow 64 bits here; the result does not.
  const Chunk top{ptut::kMaxN / 2, ptut::kMaxN + 1};
  const Chunk odd{ptut::kMaxN / 2 + 1, ptut::kMaxN + 1};
  EXPECT_EQ(ptut::closed_form(top), expected_sum(top));
  EXPECT_EQ(ptut::closed_form(odd), expected_sum(odd));
  EXPECT_EQ(ptut::closed_form(Chunk{7, 7}), 0u);
}

}  // namespace
