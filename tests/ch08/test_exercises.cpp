// Chapter 8's exercise solutions (chapters/08_mpi/exercises), started as the page
// says: through the run script (chapters/08_mpi/run --core N K, which runs mpirun
// -n K), told which program by CH08_PROGRAM. Exact for several N and K.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>

#include "leak_check.hpp"
#include "mpi_support.hpp"
#include "oracle.hpp"
#include "runner.hpp"

namespace {

using Case = std::tuple<std::string, std::uint64_t, unsigned>;

class Ch08Exercise : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<Case> {
 protected:
  void SetUp() override {
    NoLeaks::SetUp();
    ptut::testing::use_this_build_of_chapter_8();
  }
  void TearDown() override {
    ptut::testing::reap_ended_mpi_processes();
    NoLeaks::TearDown();
  }
};

TEST_P(Ch08Exercise, IsExact) {
  const auto& [program, n, ranks] = GetParam();
  setenv("CH08_PROGRAM", ptut::testing::chapter_path(program).c_str(), 1);
  const auto r = ptut::testing::run_program(
      PTUT_CH08_RUN, {"--core", std::to_string(n), std::to_string(ranks)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  const std::string expected = std::to_string(ptut::testing::expected_sum(n));
  // Ranks print in any order: the sum line is rank 0's, wherever it lands.
  EXPECT_NE(r.out.find("sum = " + expected + " (expected " + expected + ")\n"),
            std::string::npos)
      << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Grid, Ch08Exercise,
    ::testing::Combine(::testing::Values("ch08_ex2_allreduce", "ch08_ex8_master_worker"),
                       ::testing::Values(0ULL, 1ULL, 20ULL, 2'000'000ULL),
                       ::testing::Values(1U, 2U, 3U)),
    [](const ::testing::TestParamInfo<Case>& case_info) {
      return std::get<0>(case_info.param) + "_n" +
             std::to_string(std::get<1>(case_info.param)) + "_k" +
             std::to_string(std::get<2>(case_info.param));
    });

TEST_F(Ch08Exercise, AllreduceGivesEveryRankTheTotal) {
  setenv("CH08_PROGRAM", ptut::testing::chapter_path("ch08_ex2_allreduce").c_str(), 1);
  const auto r = ptut::testing::run_program(PTUT_CH08_RUN, {"--core", "20", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  for (const std::string rank : {"0", "1", "2"})
    EXPECT_NE(r.out.find("rank " + rank + ": "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("WRONG"), std::string::npos) << r.out;
}

}  // namespace
