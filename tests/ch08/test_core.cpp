// Chapter 8's core listing (chapters/08_mpi/core.cpp), started the way the run
// script starts it (chapters/08_mpi/run --core N K: mpirun -n K): exact for several
// N and K, each rank's part shown and right, bad input one line.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "bad_input.hpp"
#include "core_output.hpp"
#include "leak_check.hpp"
#include "mpi_support.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::run_program;

class Ch08Core
    : public ptut::testing::NoLeaks,
      public ::testing::WithParamInterface<std::tuple<std::uint64_t, unsigned>> {
 protected:
  void SetUp() override {
    NoLeaks::SetUp();
    ptut::testing::use_this_build_of_chapter_8();
    setenv("CH08_PROGRAM", ptut::testing::chapter_path("ch08_core").c_str(), 1);
  }
  void TearDown() override {
    ptut::testing::reap_ended_mpi_processes();
    NoLeaks::TearDown();
  }
};

TEST_P(Ch08Core, IsExactAndShowsEachRanksPart) {
  const auto [n, ranks] = GetParam();
  const auto r =
      run_program(PTUT_CH08_RUN, {"--core", std::to_string(n), std::to_string(ranks)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  ptut::testing::expect_core_output(r.out, n, ranks);
}

INSTANTIATE_TEST_SUITE_P(
    Grid, Ch08Core,
    ::testing::Combine(::testing::Values(0ULL, 1ULL, 20ULL, 2'000'000ULL),
                       ::testing::Values(1U, 2U, 3U)),
    [](const ::testing::TestParamInfo<std::tuple<std::uint64_t, unsigned>>& case_info) {
      return "n" + std::to_string(std::get<0>(case_info.param)) + "_k" +
             std::to_string(std::get<1>(case_info.param));
    });

TEST_F(Ch08Core, SumsTheArticlesTwentyOnTwoRanksByDefault) {
  const auto r = run_program(PTUT_CH08_RUN, {"--core"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  // Not necessarily the last line: mpirun forwards each rank's lines as it reads them.
  ptut::testing::expect_core_output(r.out, 20, 2);
}

TEST_F(Ch08Core, BadInputIsOneLineBeforeMpirunStarts) {
  for (const auto& input : std::vector<ptut::testing::BadInput>{
           {"n_junk", {"--core", "2e6"}, "N must be a whole number from 0 to 6074000999"},
           {"k_zero", {"--core", "20", "0"}, "K from 1 to 256"},
           {"three_arguments", {"--core", "20", "2", "3"}, "--core [N [K]]"}}) {
    SCOPED_TRACE(input.name);
    ptut::testing::expect_usage_error(run_program(PTUT_CH08_RUN, input.args), "run",
                                      input);
  }
}

}  // namespace
