// Chapter 9's executable, started as a reader starts it: every variant exact over
// the N × K grid, the team really of K threads (seen from inside the loop), and
// bad input refused with one line.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "bad_input.hpp"
#include "fixture.hpp"
#include "core_output.hpp"
#include "grid.hpp"
#include "leak_check.hpp"
#include "oracle.hpp"
#include "output.hpp"
#include "runner.hpp"
#include "sanitizers.hpp"
#include "trace_check.hpp"

namespace {

using ch09_testing::kThreadSanitizer;
using ch09_testing::on_tbb;
using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using ptut::testing::SumCase;
using ptut::testing::VariantCase;

constexpr const char* kProgram = "ch09_parallel_loops";

const std::vector<std::string> kVariants = {
    "omp_for",  "omp_atomic", "omp_critical",  "omp_dynamic",
    "omp_racy", "std_par",    "std_par_unseq", "std_par_iota",
    "tbb",      "simd",       "omp_for_simd",  "scalar"};

bool one_thread(const std::string& variant) {
  return variant == "simd" || variant == "scalar";
}

class Ch09 : public ch09_testing::Ch09Fixture {
 protected:
  static nlohmann::json run_json(const std::vector<std::string>& args) {
    return ptut::testing::run_chapter_json(kProgram, args);
  }
  // Where the build cannot run std_par_iota (clang 14), the program says why in one
  // line and exits 2 before anything runs: true when it did, so the caller stops.
  static bool refused_as_this_build_lacks_it(const std::string& variant,
                                             const std::vector<std::string>& args) {
    if (!ch09_testing::kIotaRefused || variant != "std_par_iota") return false;
    const auto r = ptut::testing::run_chapter(kProgram, args);
    EXPECT_EQ(r.exit_code, 2) << r.how();
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err_lines(), std::vector<std::string>{
                                 "ch09_parallel_loops: --variant std_par_iota: not in "
                                 "this build: clang 14 cannot compile libstdc++'s "
                                 "std::views::iota (GCC or clang 15 can) (see --help)"});
    return true;
  }
};

class Ch09Grid : public Ch09, public ::testing::WithParamInterface<VariantCase> {};

TEST_P(Ch09Grid, IsExactOrReportsWhatItLost) {
  const VariantCase& c = GetParam();
  if (kThreadSanitizer && on_tbb(c.variant)) GTEST_SKIP() << "oneTBB under TSan";
  const std::vector<std::string> args = {"--variant", c.variant,
                                         "--n",       std::to_string(c.sum.n),
                                         "--workers", std::to_string(c.sum.workers),
                                         "--work",    std::to_string(c.sum.work)};
  if (refused_as_this_build_lacks_it(c.variant, args)) return;
  const auto json = run_json(args);
  ASSERT_FALSE(json.is_null());
  EXPECT_EQ(json["expected"], std::to_string(ptut::testing::expected_sum(c.sum.n)));
  if (c.variant == "omp_racy") {
    ptut::testing::expect_consistent_racy_report(json, c.sum.n);
  } else {
    EXPECT_EQ(json["correct"], true) << json.dump();
    EXPECT_EQ(json["sum"], json["expected"]);
  }
  // The team, seen from inside the loop: K threads, or one for a one-thread
  // variant; an OpenMP loop over nothing has no iteration to see it from.
  const unsigned team = one_thread(c.variant) ? 1 : c.sum.workers;
  if (json["team"].is_null()) {
    EXPECT_EQ(c.sum.n, 0u) << c.variant;
  } else {
    EXPECT_EQ(json["team"], team);
  }
  EXPECT_EQ(json["workers"], team);
}

std::vector<VariantCase> ch09_grid() {
  std::vector<VariantCase> cases;
  for (const std::string& variant : kVariants) {
    for (const VariantCase& c :
         ptut::testing::variant_grid({variant}, ch09_testing::grid_large_n(variant))) {
      cases.push_back(c);
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Grid, Ch09Grid, ::testing::ValuesIn(ch09_grid()),
                         ptut::testing::variant_case_name);

TEST_F(Ch09, DefaultsAreTheArticles210OnTwoThreads) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0], "Chapter 9: parallel loops: omp_for, 2 threads");
  EXPECT_EQ(lines[1].rfind(
                "  OpenMP team seen from inside the loop: 2; CPU time / wall time: ", 0),
            0u)
      << lines[1];
  EXPECT_EQ(
      lines[2].rfind(
          "omp_for, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
      0u)
      << lines[2];
}

TEST_F(Ch09, AOneThreadVariantSaysItDoesNotUseWorkers) {
  const auto r = run_chapter(kProgram, {"--variant", "simd", "--workers", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_GE(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], "Chapter 9: parallel loops: simd, 1 thread");
  EXPECT_EQ(lines[1], "  (simd runs on one thread; --workers 3 is not used)");
}

// Skewed work: element i costs more rounds towards the end of the range; the sum
// stays n(n + 1)/2 whatever the split.
TEST_F(Ch09, SkewedWorkIsExactInEveryVariant) {
  for (const std::string& variant : kVariants) {
    if (variant == "omp_racy" || (kThreadSanitizer && on_tbb(variant))) continue;
    SCOPED_TRACE(variant);
    const std::vector<std::string> args = {"--variant", variant, "--n",    "20001",
                                           "--workers", "3",     "--skew", "7",
                                           "--work",    "1"};
    if (refused_as_this_build_lacks_it(variant, args)) continue;
    const auto json = run_json(args);
    EXPECT_EQ(json["correct"], true);
    EXPECT_EQ(json["skew"], 7);
  }
}

// The largest N whose sum fits in 64 bits, in the lane variants (a few seconds in
// an optimised build; the Debug build of the asan preset would take minutes).
TEST_F(Ch09, LaneVariantsAreExactAtTheLargestN) {
#ifndef NDEBUG
  GTEST_SKIP() << "an unoptimised build";
#endif
  for (const char* variant : {"simd", "omp_for_simd"}) {
    SCOPED_TRACE(variant);
    const auto json =
        run_json({"--variant", variant, "--n", "6074000999", "--workers", "3"});
    EXPECT_EQ(json["correct"], true);
    EXPECT_EQ(json["sum"], "18446744070963499500");
  }
}

TEST_F(Ch09, DynamicChunksFromOneElementToMoreThanN) {
  for (const char* chunk : {"1", "7", "1000", "5000"}) {
    SCOPED_TRACE(chunk);
    const auto json = run_json({"--variant", "omp_dynamic", "--n", "1000", "--workers",
                                "3", "--chunk", chunk, "--skew", "5"});
    EXPECT_EQ(json["correct"], true);
    EXPECT_EQ(json["chunk"], std::stoull(chunk));
  }
}

TEST_F(Ch09, TheProgramBuiltWithoutOpenMPIsExactAndSaysSo) {
  const auto r = run_chapter("ch09_forgot_fopenmp", {"200000", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_EQ(lines[0],
            "built without OpenMP: _OPENMP is not defined, the pragma was dropped");
  EXPECT_EQ(lines[1].rfind("asked for 2 threads; CPU time / wall time: ", 0), 0u);
  EXPECT_EQ(lines[2], "sum = 20000100000 (expected 20000100000)");
}

// The core listing (core.cpp): one line per thread of the team with its block and
// its private sum, the blocks covering 1..N once, and the total.
class Ch09Core
    : public Ch09,
      public ::testing::WithParamInterface<std::tuple<std::uint64_t, unsigned>> {};

TEST_P(Ch09Core, IsExactAndShowsEachThreadsBlock) {
  const auto [n, threads] = GetParam();
  const auto r = run_chapter("ch09_core", {std::to_string(n), std::to_string(threads)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  EXPECT_EQ(r.err, "");
  ptut::testing::expect_core_output(r.out, n, threads);
}

INSTANTIATE_TEST_SUITE_P(
    Grid, Ch09Core,
    ::testing::Combine(::testing::Values(0ULL, 1ULL, 20ULL, 2'000'000ULL),
                       ::testing::Values(1U, 2U, 3U)),
    [](const ::testing::TestParamInfo<std::tuple<std::uint64_t, unsigned>>& case_info) {
      return "n" + std::to_string(std::get<0>(case_info.param)) + "_k" +
             std::to_string(std::get<1>(case_info.param));
    });

TEST_F(Ch09, TheCoreSumsTheArticlesTwentyOnTwoThreads) {
  const auto r = run_chapter("ch09_core", {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.out_lines().back(), "sum = 210 (expected 210)");
}

// --trace: a track per thread of the team ("thread 0" is the caller), with a span
// around each thread's share of an OpenMP loop, or one per piece oneTBB hands a
// thread; never one per element.
class Ch09Trace : public Ch09 {
 protected:
  // Runs the program with `args` and --trace (and first without, to compare the
  // sums, unless `compare` is false): exact, and the trace valid. Returns the trace.
  static ptut::testing::Trace traced(std::vector<std::string> args, bool compare = true) {
    const std::string path =
        ::testing::TempDir() + "ch09_trace_" + std::to_string(getpid()) + ".json";
    const auto untraced = compare ? run_json(args) : nlohmann::json();
    args.insert(args.end(), {"--trace", path});
    const auto json = run_json(args);
    EXPECT_EQ(json.value("correct", false), true) << json.dump();
    if (compare) {
      EXPECT_EQ(json["sum"], untraced["sum"]);
    }
    EXPECT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
    auto trace = ptut::testing::read_trace(path);
    std::filesystem::remove(path);
    return trace;
  }
};

TEST_F(Ch09Trace, EveryThreadOfAnOpenMPTeamHasATrackWithItsShare) {
  for (const char* variant : {"omp_for", "omp_dynamic"}) {
    SCOPED_TRACE(variant);
    const auto trace =
        traced({"--variant", variant, "--n", "2000000", "--workers", "3", "--json"});
    for (int thread = 0; thread < 3; ++thread) {
      const auto* track = trace.track("thread " + std::to_string(thread));
      ASSERT_NE(track, nullptr) << "thread " << thread;
      const auto shares = track->named("share of the loop");
      ASSERT_EQ(shares.size(), 1u);
      EXPECT_EQ(shares[0].args.value("thread", -1), thread);
      EXPECT_EQ(track->spans.size(), 1u);  // nothing per element, nothing else
    }
  }
}

TEST_F(Ch09Trace, OneTBBsPiecesTileTheRangeOnNamedThreads) {
  if (kThreadSanitizer) GTEST_SKIP() << "oneTBB under TSan";
  const std::uint64_t n = 2'000'000;
  const auto trace =
      traced({"--variant", "tbb", "--n", std::to_string(n), "--workers", "3", "--json"});
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pieces;
  for (const auto& track : trace.tracks) {
    for (const auto& chunk : track.named("chunk")) {
      EXPECT_EQ(track.thread_name.rfind("thread ", 0), 0u) << track.thread_name;
      pieces.emplace_back(chunk.args.value("first", 0ULL),
                          chunk.args.value("last", 0ULL));
    }
  }
  ASSERT_FALSE(pieces.empty());
  EXPECT_LT(pieces.size(), 10'000u) << "a span per piece, not per element";
  std::sort(pieces.begin(), pieces.end());
  std::uint64_t next = 1;
  for (const auto& [first, last] : pieces) {
    EXPECT_EQ(first, next);
    next = last;
  }
  EXPECT_EQ(next, n + 1);
  EXPECT_NE(trace.track("thread 0"), nullptr);  // the caller takes pieces too
}

// The page's timeline: with --skew 32 the static split gives thread 1 the costlier
// half (by CPU time, the trace's thread clock, so that a thread that lost its core
// to another test does not look slower); dynamic chunks end both threads within a
// few chunks of each other. A thread that loses its core in the middle of its last
// chunk (ctest -j, a sanitizer's slower threads) ends late whatever the schedule,
// so a pair of runs that misses is made again, up to three times: a schedule that
// did not balance would miss every time.
TEST_F(Ch09Trace, StaticLeavesThreadOneTheCostlierHalfDynamicEndsThemTogether) {
  if (ptut::testing::kSanitized) {
    GTEST_SKIP() << "a sanitizer's threads run the halves at speeds of their own; the "
                    "comparison is the default build's";
  }
  const std::vector<std::string> run = {"--n",       "10000000", "--skew", "32",
                                        "--workers", "2",        "--json"};
  auto with = [&](const char* variant) {
    std::vector<std::string> args = {"--variant", variant};
    args.insert(args.end(), run.begin(), run.end());
    return traced(args, /*compare=*/false);  // the sums: the tests above
  };
  std::string attempts;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const auto split = with("omp_for");
    const auto* first = split.track("thread 0");
    const auto* second = split.track("thread 1");
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    ASSERT_GT(first->total_cpu_ms("share of the loop"), 0.0);
    const double costlier = second->total_cpu_ms("share of the loop") /
                            first->total_cpu_ms("share of the loop");

    const auto balanced = with("omp_dynamic");
    first = balanced.track("thread 0");
    second = balanced.track("thread 1");
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    const double longer = std::max(first->last_end_ms(), second->last_end_ms());
    const double apart = std::abs(first->last_end_ms() - second->last_end_ms());
    attempts += " static: thread 1 / thread 0 CPU time " + std::to_string(costlier) +
                "; dynamic: ends " + std::to_string(apart) + " ms apart of " +
                std::to_string(longer) + " ms;";
    if (costlier > 1.5 && apart <= std::max(10.0, 0.2 * longer)) return;
  }
  ADD_FAILURE() << attempts;
}

class Ch09BadInput : public Ch09, public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch09BadInput, ExitsTwoWithOneClearLine) {
  ptut::testing::expect_usage_error(run_chapter(kProgram, GetParam().args), kProgram,
                                    GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch09BadInput,
    ::testing::Values(
        BadInput{"n_negative", {"--n", "-1"}, "--n: -1 is negative"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{"variant_unknown",
                 {"--variant", "omp_magic"},
                 "--variant: unknown variant 'omp_magic'; choose one of omp_for, "
                 "omp_atomic, omp_critical, omp_dynamic, omp_racy, std_par, "
                 "std_par_unseq, std_par_iota, tbb, simd, omp_for_simd, scalar"},
        BadInput{"chunk_without_dynamic",
                 {"--chunk", "64"},
                 "--chunk: only omp_dynamic takes chunks; omp_for has its own split"},
        BadInput{"chunk_zero",
                 {"--variant", "omp_dynamic", "--chunk", "0"},
                 "--chunk: 0 is too small"},
        BadInput{"skew_too_large", {"--skew", "65"}, "--skew: 65 is too large"},
        BadInput{"unknown_flag",
                 {"--threads", "2"},
                 "unknown option or argument '--threads 2'"},
        BadInput{
            "trace_into_no_folder",
            {"--trace", "/nonexistent/run.json"},
            "--trace: cannot write '/nonexistent/run.json': No such file or directory"}),
    ptut::testing::bad_input_name);

}  // namespace
