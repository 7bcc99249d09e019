// Chapter 9's exercise solutions (chapters/09_parallel_loops/exercises/*.cpp), run
// as a reader runs them: exact for several N and K.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <tuple>

#include "fixture.hpp"
#include "oracle.hpp"
#include "runner.hpp"

namespace {

using ch09_testing::kThreadSanitizer;
using ptut::testing::run_chapter;

// The exercises' solutions (exercises/*.cpp), exact for several N and K.
class Ch09Solution : public ch09_testing::Ch09Fixture,
                     public ::testing::WithParamInterface<
                         std::tuple<std::string, std::uint64_t, unsigned>> {};

TEST_P(Ch09Solution, IsExact) {
  const auto& [program, n, threads] = GetParam();
  if (kThreadSanitizer && program == "ch09_ex1_counting_iterator") {
    GTEST_SKIP() << "oneTBB under TSan";
  }
  const auto r = run_chapter(program, {std::to_string(n), std::to_string(threads)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  const std::string expected = std::to_string(ptut::testing::expected_sum(n));
  EXPECT_EQ(r.out_lines().back(), "sum = " + expected + " (expected " + expected + ")");
  if (program == "ch09_ex2_atomic_once") {  // one partial sum per thread
    EXPECT_EQ(r.out_lines().size(), threads + 1u) << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Grid, Ch09Solution,
    ::testing::Combine(::testing::Values("ch09_ex1_counting_iterator",
                                         "ch09_ex2_atomic_once"),
                       ::testing::Values(0ULL, 1ULL, 20ULL, 2'000'000ULL),
                       ::testing::Values(1U, 2U, 3U)),
    [](const ::testing::TestParamInfo<std::tuple<std::string, std::uint64_t, unsigned>>&
           case_info) {
      return std::get<0>(case_info.param) + "_n" +
             std::to_string(std::get<1>(case_info.param)) + "_k" +
             std::to_string(std::get<2>(case_info.param));
    });

}  // namespace
