// Chapter 3's approach, called as a library: the threads run in the test process.
// No fork in this executable (fork after threads is unsafe): the program itself is
// tested in test_ch03_cli.
#include <gtest/gtest.h>

#include "grid.hpp"
#include "oracle.hpp"
#include "threads_atomics.hpp"

namespace {

using ptut::testing::expected_sum;

ch03::Config config(const std::string& variant, std::uint64_t n, unsigned workers,
                    unsigned work = 0) {
  ch03::Config c;
  c.options.variant = variant;
  c.options.n = n;
  c.options.workers = workers;
  c.options.work = work;
  return c;
}

class ExactVariant : public ::testing::TestWithParam<ptut::testing::VariantCase> {};

TEST_P(ExactVariant, EqualsTheClosedForm) {
  const auto& [variant, c] = GetParam();
  EXPECT_EQ(ch03::run(config(variant, c.n, c.workers, c.work)).sum, expected_sum(c.n));
}

INSTANTIATE_TEST_SUITE_P(Grid, ExactVariant,
                         ::testing::ValuesIn(ptut::testing::variant_grid(
                             {"mutex", "atomic", "false_sharing", "padded", "partials"})),
                         ptut::testing::variant_case_name);

TEST(Ch03, RacyLosesUpdatesWithTwoThreads) {
  if (ptut::describe_machine().usable_cores < 2) {
    GTEST_SKIP() << "one core: the threads never run at the same time";
  }
  const std::uint64_t smallest = ptut::testing::smallest_sum(
      std::chrono::seconds(20), 2'000'000,
      [] { return ch03::run(config("racy", 2'000'000, 2)).sum; });
  EXPECT_LT(smallest, expected_sum(2'000'000))
      << "racy runs for 20 seconds lost no update";
}

TEST(Ch03, RacyWithOneThreadHasNobodyToRaceWith) {
  EXPECT_EQ(ch03::run(config("racy", 2'000'000, 1)).sum, expected_sum(2'000'000));
}

TEST(Ch03, AThrowingThreadIsReportedAndEveryThreadJoined) {
  for (const char* variant : {"partials", "mutex", "racy"}) {
    ch03::Config c = config(variant, 2'000'000, 3);
    c.throwing_worker = 2;
    try {
      (void)ch03::run(c);
      FAIL() << variant << ": the run did not fail";
    } catch (const ch03::RunFailed& failure) {
      EXPECT_EQ(std::string(failure.what())
                    .rfind("thread 2 threw: injected fault: gave up at element ", 0),
                0u)
          << failure.what();
    }
  }
}

TEST(Ch03, AThrowingThreadWithAnEmptyChunkIsReportedToo) {
  ch03::Config c = config("partials", 1, 3);
  c.throwing_worker = 3;
  try {
    (void)ch03::run(c);
    FAIL() << "the run did not fail";
  } catch (const ch03::RunFailed& failure) {
    EXPECT_STREQ(failure.what(),
                 "thread 3 threw: injected fault: gave up before the first element");
  }
}

TEST(Ch03, AThreadThatCannotStartFailsTheRunWithoutAHang) {
  // The threads already started wait at the start line; they must be let through.
  for (unsigned unstartable : {1u, 2u, 3u}) {
    ch03::Config c = config("partials", 2'000'000, 3);
    c.unstartable_worker = unstartable;
    try {
      (void)ch03::run(c);
      FAIL() << "the run did not fail";
    } catch (const ch03::RunFailed& failure) {
      EXPECT_EQ(
          std::string(failure.what())
              .rfind("could not start thread " + std::to_string(unstartable) + ": ", 0),
          0u)
          << failure.what();
    }
  }
}

TEST(Ch03, StepByStepIsExactAndFaultsStillReported) {
  for (const char* variant : {"mutex", "atomic", "false_sharing", "padded", "partials"}) {
    ch03::Config c = config(variant, 6, 2);
    c.show_steps = true;
    EXPECT_EQ(ch03::run(c).sum, 21u) << variant;
    c.throwing_worker = 1;
    EXPECT_THROW((void)ch03::run(c), ch03::RunFailed) << variant;
  }
}

}  // namespace
