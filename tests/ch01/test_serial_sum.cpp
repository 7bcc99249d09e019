#include <gtest/gtest.h>

#include <vector>

#include "grid.hpp"
#include "oracle.hpp"
#include "serial_sum.hpp"

namespace {

using ptut::testing::expected_sum;

class SerialSum : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(SerialSum, LoopMatchesTheClosedFormWithAndWithoutWork) {
  const std::uint64_t n = GetParam();
  for (unsigned work : {0u, 3u}) {
    EXPECT_EQ(ch01::sumcalc(ptut::Chunk{1, n + 1}, work), expected_sum(n))
        << "work=" << work;
  }
}

TEST_P(SerialSum, EveryVariantThroughRun) {
  ptut::Options options;
  options.n = GetParam();
  for (const ptut::Variant& variant : ch01::spec().variants) {
    options.variant = variant.name;
    const ptut::RunResult result = ch01::run(options);
    EXPECT_EQ(result.sum, expected_sum(options.n)) << variant.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, SerialSum, ::testing::ValuesIn(ptut::testing::grid_ns()));

TEST(SerialSum, TheArticlesSplitAddsUp) {
  EXPECT_EQ(ch01::sumcalc(ptut::Chunk{1, 11}, 0), 55u);
  EXPECT_EQ(ch01::sumcalc(ptut::Chunk{11, 21}, 0), 155u);
}

TEST(SerialSum, TheObserverSeesEveryStepInOrder) {
  std::vector<std::uint64_t> elements;
  std::vector<std::uint64_t> running;
  const std::uint64_t sum =
      ch01::sumcalc(ptut::Chunk{1, 21}, 2, [&](std::uint64_t i, std::uint64_t s) {
        elements.push_back(i);
        running.push_back(s);
      });
  EXPECT_EQ(sum, 210u);
  ASSERT_EQ(elements.size(), 20u);
  for (std::uint64_t i = 1; i <= 20; ++i) {
    EXPECT_EQ(elements[i - 1], i);
    EXPECT_EQ(running[i - 1], expected_sum(i));
  }
}

TEST(SerialSum, FormulaIsExactUpToTheLargestN) {
  EXPECT_EQ(ch01::sum_by_formula(ptut::kMaxN), expected_sum(ptut::kMaxN));
  EXPECT_EQ(ch01::sum_by_formula(0), 0u);
}

TEST(SerialSum, AnUnknownVariantIsAnError) {
  ptut::Options options;
  options.variant = "nope";
  EXPECT_THROW((void)ch01::run(options), std::invalid_argument);
}

}  // namespace
