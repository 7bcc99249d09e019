// Chapter 3's executable, started as a reader starts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <regex>

#include "bad_input.hpp"
#include "leak_check.hpp"
#include "output.hpp"
#include "runner.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;

constexpr const char* kProgram = "ch03_threads_atomics";

class Ch03Program : public ptut::testing::NoLeaks {};

TEST_F(Ch03Program, DefaultsShowEveryThreadsStepsAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.out_lines();
  EXPECT_EQ(lines.front(), "Chapter 3: threads and atomics: partials, 2 threads");
  const std::regex step(R"(  thread ([12]): i = +\d+, my sum = +\d+)");
  EXPECT_EQ(ptut::testing::step_counts(lines, step),
            (std::map<int, int>{{1, 10}, {2, 10}}));
  EXPECT_EQ(
      lines.back().rfind(
          "partials, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
      0u)
      << lines.back();
}

TEST_F(Ch03Program, EveryExactVariantIsCorrectAtTwoMillion) {
  for (const char* variant : {"mutex", "atomic", "false_sharing", "padded", "partials"}) {
    const auto r =
        run_chapter(kProgram, {"--n", "2000000", "--variant", variant, "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true) << variant;
    EXPECT_EQ(json["sum"], "2000001000000");
  }
}

TEST_F(Ch03Program, RacyReportsWhatItLostAndSucceeds) {
  const auto r = run_chapter(kProgram, {"--n", "2000000", "--variant", "racy", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ptut::testing::expect_consistent_racy_report(nlohmann::json::parse(r.out), 2'000'000);
}

TEST_F(Ch03Program, HelpExplainsEveryVariant) {
  const auto r = run_chapter(kProgram, {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* variant :
       {"racy", "mutex", "atomic", "false_sharing", "padded", "partials", "--fault"}) {
    EXPECT_NE(r.out.find(variant), std::string::npos) << variant;
  }
}

TEST_F(Ch03Program, AThrowingThreadIsNamedAndTheRunFails) {
  const auto r =
      run_chapter(kProgram, {"--n", "2000000", "--workers", "3", "--fault", "2:throw"});
  EXPECT_EQ(r.exit_code, 1) << r.how();
  EXPECT_EQ(
      r.err.rfind(
          "ch03_threads_atomics: thread 2 threw: injected fault: gave up at element ", 0),
      0u)
      << r.err;
  EXPECT_EQ(r.err_lines().size(), 1u) << r.err;
}

class Ch03BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch03BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, kProgram, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch03BadInput,
    ::testing::Values(
        BadInput{"n_negative", {"--n", "-1"}, "--n: -1 is negative"},
        BadInput{
            "n_sum_overflows", {"--n", "6074001000"}, "--n: 6074001000 is too large"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{"workers_absurd",
                 {"--workers", "5000"},
                 "--workers: 5000 is too large: at most 256 workers"},
        BadInput{"variant_unknown",
                 {"--variant", "lockfree"},
                 "--variant: unknown variant 'lockfree'; choose one of racy, mutex, "
                 "atomic, false_sharing, padded, partials"},
        BadInput{"fault_kind",
                 {"--fault", "1:abort"},
                 "--fault: '1:abort' is not WORKER:KIND with KIND throw"},
        BadInput{"fault_worker",
                 {"--fault", "3:throw"},
                 "--fault: there is no worker 3; expected 1 to 2"},
        BadInput{"unknown_flag",
                 {"--threads", "2"},
                 "unknown option or argument '--threads 2'"}),
    ptut::testing::bad_input_name);

// --- --trace: a track per thread, its chunk as one span, and the same sum.

TEST_F(Ch03Program, ATracedRunHasATrackPerThreadWithItsChunkAndTheSameSum) {
  const ptut::testing::TraceFile trace;
  const auto traced = ptut::testing::run_chapter_json(
      kProgram, {"--n", "3000000", "--workers", "3", "--trace", trace.path});
  const auto untraced =
      ptut::testing::run_chapter_json(kProgram, {"--n", "3000000", "--workers", "3"});
  EXPECT_EQ(traced["sum"], untraced["sum"]);
  EXPECT_EQ(traced["sum"], "4500001500000");
  ASSERT_EQ(ptut::testing::trace_problems(trace.path), std::vector<std::string>{});
  const auto read = ptut::testing::read_trace(trace.path);
  for (unsigned k = 1; k <= 3; ++k) {
    const auto* thread = read.track("thread " + std::to_string(k));
    ASSERT_NE(thread, nullptr) << k;
    EXPECT_EQ(thread->named("start-up").size(), 1u) << k;
    const auto chunks = thread->named("chunk");
    ASSERT_EQ(chunks.size(), 1u) << k;  // never a span per element
    EXPECT_EQ(chunks[0].args.value("first", 0), 1 + (k - 1) * 1'000'000);
    EXPECT_EQ(chunks[0].args.value("last", 0), 1 + k * 1'000'000);
  }
  const auto* main_track = read.track("main");
  ASSERT_NE(main_track, nullptr);
  EXPECT_EQ(main_track->named("start workers").size(), 1u);
  EXPECT_EQ(main_track->named("wait").size(), 1u);
}

TEST_F(Ch03Program, AThrowingThreadLeavesAValidTraceThatEndsItsChunk) {
  const ptut::testing::TraceFile trace;
  const auto r = run_chapter(kProgram, {"--n", "2000000", "--workers", "3", "--fault",
                                        "2:throw", "--trace", trace.path});
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(ptut::testing::trace_problems(trace.path), std::vector<std::string>{});
  const auto read = ptut::testing::read_trace(trace.path);
  const auto* thread = read.track("thread 2");
  ASSERT_NE(thread, nullptr);
  EXPECT_EQ(thread->named("chunk").size(), 1u);  // ended as the exception left it
}

}  // namespace
