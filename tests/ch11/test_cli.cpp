// Chapter 11's programs as a reader starts them: OpenMP offload exact and saying
// where it ran, the CUDA variants exact on a device or refused with the reason
// where there is none, bad input refused with one line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bad_input.hpp"
#include "oracle.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;

constexpr const char* kProgram = "ch11_gpu";

TEST(Ch11Program, TheDefaultIsTheArticlesSumByOpenMpOffload) {
  const auto r = run_chapter(kProgram, {});
  EXPECT_EQ(r.exit_code, 0) << r.how() << r.err;
  EXPECT_NE(r.out.find("omp_target"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("= 210 (expected 210: correct)"), std::string::npos) << r.out;
}

TEST(Ch11Program, BothOffloadFormsAreExactAndSayWhereTheyRan) {
  // past 2^32 (a 32-bit index would wrap) and up to the project's largest N
  for (const char* variant : {"omp_target", "omp_target_simd"}) {
    for (const std::string n :
         {"0", "1", "33", "257", "1000003", "4294967301", "6074000999"}) {
      const auto r = run_chapter(kProgram, {"--variant", variant, "--n", n, "--json"});
      ASSERT_EQ(r.exit_code, 0) << variant << " " << r.how() << r.err;
      const auto json = nlohmann::json::parse(r.out);
      EXPECT_EQ(json["correct"], true) << variant << " " << r.out;
      const int devices = json["offload_devices"];
      EXPECT_EQ(json["ran_on"], devices > 0 ? "device" : "host") << r.out;
    }
  }
}

TEST(Ch11Program, TheCoreIsExactAndSaysWhereItRan) {
  for (const std::string n : {"0", "1", "20", "2000000"}) {
    const auto r = run_chapter("ch11_core", {n});
    EXPECT_EQ(r.exit_code, 0) << r.how() << r.err;
    EXPECT_NE(r.out.find("ran on the "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("sum = " +
                         std::to_string(ptut::testing::expected_sum(std::stoull(n)))),
              std::string::npos)
        << r.out;
  }
}

// Exercise 4's solution: exact whether N fills the 256 slots or leaves most empty.
TEST(Ch11Program, TheTeamPartialsExerciseIsExactForEveryN) {
  for (const std::string n : {"0", "1", "20", "255", "256", "257", "2000000"}) {
    const auto r = run_chapter("ch11_ex4_team_partials", {n, "3"});
    EXPECT_EQ(r.exit_code, 0) << r.how() << r.err;
    EXPECT_NE(r.out.find("256 slots summed on the "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("sum = " +
                         std::to_string(ptut::testing::expected_sum(std::stoull(n)))),
              std::string::npos)
        << n << ": " << r.out;
  }
}

#ifdef PTUT_CH11_CUDA
// Without a device a CUDA variant is a failed run of one line with CUDA's reason;
// with one, it is exact.
TEST(Ch11Program, ACudaVariantIsExactOrSaysWhyItCannotRun) {
  for (const std::string variant : {"interleaved", "sequential", "first_add",
                                    "warp_shuffle", "grid_stride", "cub", "array"}) {
    const auto r =
        run_chapter(kProgram, {"--variant", variant, "--n", "2000000", "--json"});
    if (r.exit_code == 1) {
      ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
      EXPECT_NE(r.err.find("ch11_gpu: no CUDA device to run " + variant + " on (cuda"),
                std::string::npos)
          << r.err;
      GTEST_SKIP() << "no CUDA device: " << r.err;
    }
    ASSERT_EQ(r.exit_code, 0) << r.how() << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true) << r.out;
  }
}
#endif

class Ch11BadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(Ch11BadInput, IsRefusedWithOneLine) {
  ptut::testing::expect_usage_error(run_chapter(kProgram, GetParam().args), kProgram,
                                    GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Refused, Ch11BadInput,
    ::testing::Values(
        BadInput{"workers", {"--workers", "4"}, "--workers"},
        BadInput{"threads_with_omp_target", {"--threads", "64"}, "launches no blocks"},
        BadInput{"blocks_with_omp_target", {"--blocks", "64"}, "fixed grid"},
        BadInput{"repeat_zero", {"--repeat", "0"}, "--repeat"},
        BadInput{"unknown_variant", {"--variant", "reduce9"}, "reduce9"}),
    ptut::testing::bad_input_name);

#ifdef PTUT_CH11_CUDA
INSTANTIATE_TEST_SUITE_P(
    RefusedForCuda, Ch11BadInput,
    ::testing::Values(BadInput{"threads_not_power_of_two",
                               {"--variant", "grid_stride", "--threads", "100"},
                               "not a power of two"},
                      BadInput{"threads_too_many",
                               {"--variant", "grid_stride", "--threads", "2048"},
                               "1024"},
                      BadInput{"threads_with_cub",
                               {"--variant", "cub", "--threads", "64"},
                               "launches no blocks"},
                      BadInput{"combine_unknown",
                               {"--variant", "grid_stride", "--combine", "tree"},
                               "--combine"},
                      BadInput{"blocks_without_fixed_grid",
                               {"--variant", "interleaved", "--blocks", "10"},
                               "fixed grid"}),
    ptut::testing::bad_input_name);
#endif

}  // namespace
