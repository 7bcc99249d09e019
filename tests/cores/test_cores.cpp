// The core listings (chapters/NN_topic/core.cpp), run as a reader runs them:
// exact against the closed form for several N and K, each worker's part shown and
// right, nothing left behind, bad input refused with one line.
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "bad_input.hpp"
#include "core_output.hpp"
#include "leak_check.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::run_chapter;

const std::vector<std::string> kCores = {"ch02_core", "ch03_core", "ch04_core",
                                         "ch05_core", "ch06_core", "ch12_core"};

struct CoreCase {
  std::string program;
  std::uint64_t n;
  unsigned workers;
  friend void PrintTo(const CoreCase& c, std::ostream* out) {
    *out << c.program << " " << c.n << " " << c.workers;
  }
};

std::vector<CoreCase> core_grid() {
  std::vector<CoreCase> cases;
  for (const std::string& program : kCores) {
    for (const std::uint64_t n : {0ULL, 1ULL, 20ULL, 2'000'000ULL}) {
      for (const unsigned workers : {1U, 2U, 3U}) cases.push_back({program, n, workers});
    }
  }
  return cases;
}

class Core : public ptut::testing::NoLeaks,
             public ::testing::WithParamInterface<CoreCase> {};

TEST_P(Core, IsExactAndShowsEachWorkersPart) {
  const CoreCase& c = GetParam();
  const auto r = run_chapter(c.program, {std::to_string(c.n), std::to_string(c.workers)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  EXPECT_EQ(r.err, "");
  ptut::testing::expect_core_output(r.out, c.n,
                                    c.program == "ch05_core" ? 4 * c.workers : c.workers);
}

INSTANTIATE_TEST_SUITE_P(Grid, Core, ::testing::ValuesIn(core_grid()),
                         [](const ::testing::TestParamInfo<CoreCase>& case_info) {
                           return case_info.param.program + "_n" +
                                  std::to_string(case_info.param.n) + "_k" +
                                  std::to_string(case_info.param.workers);
                         });

class CoreDefaults : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<std::string> {};

TEST_P(CoreDefaults, SumTheArticlesTwentyWithTwoWorkers) {
  const auto r = run_chapter(GetParam(), {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.out_lines().back(), "sum = 210 (expected 210)");
}

TEST_P(CoreDefaults, RefuseBadInputWithOneLine) {
  for (const auto& input : std::vector<ptut::testing::BadInput>{
           {"n_junk",
            {"2e6"},
            "not '2e6'; usage: [N [K]], N 0 to 6074000999, K 1 to 256"},
           {"n_too_large", {"6074001000"}, "not '6074001000'"},
           {"n_negative", {"-1"}, "not '-1'"},
           {"n_empty", {""}, "not ''"},
           {"k_zero", {"20", "0"}, "not '0'"},
           {"k_absurd", {"20", "257"}, "not '257'"},
           {"three_arguments", {"20", "2", "3"}, "not '3'"}}) {
    SCOPED_TRACE(input.name);
    ptut::testing::expect_usage_error(run_chapter(GetParam(), input.args), GetParam(),
                                      input);
  }
}

INSTANTIATE_TEST_SUITE_P(Cores, CoreDefaults, ::testing::ValuesIn(kCores));

}  // namespace
