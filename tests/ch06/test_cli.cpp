// Chapter 6's executable, started as a reader starts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bad_input.hpp"
#include "runner.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;

constexpr const char* kProgram = "ch06_gil_contrast";

TEST(Ch06Program, DefaultsPrintTheLoopBothTimingsAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "Chapter 6: a GIL-like lock: cpu, 2 threads, switch interval 5 ms");
  EXPECT_EQ(lines[1].rfind("  chapter 1's loop: ", 0), 0u);
  EXPECT_EQ(lines[2].rfind("  1 thread:  ", 0), 0u);
  EXPECT_EQ(lines[3].rfind("  2 threads: ", 0), 0u);
  EXPECT_NE(lines[3].find("× the loop's speed, "), std::string::npos) << lines[3];
  EXPECT_NE(lines[3].find("× one thread's"), std::string::npos) << lines[3];
  EXPECT_EQ(lines.back().rfind(
                "cpu, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
            0u)
      << lines.back();
}

TEST(Ch06Program, EveryModeIsExactAtTwoMillionWithJson) {
  for (const char* mode : {"cpu", "io", "convoy", "nogil"}) {
    const auto r = run_chapter(kProgram, {"--mode", mode, "--n", "2000000", "--block-ms",
                                          "5", "--round-trips", "20", "--json"});
    ASSERT_EQ(r.exit_code, 0) << mode << ": " << r.how() << "\n" << r.err;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true) << mode;
    EXPECT_EQ(json["variant"], mode);
    // Every speedup names its baseline: chapter 1's loop, and one thread beside it.
    // convoy's threads do different things: no loop to compare with, and its one
    // against K is the I/O thread's round trips alone against beside the others.
    const bool convoy = std::string(mode) == "convoy";
    EXPECT_EQ(json.contains("speedup_vs_loop"), !convoy) << mode;
    EXPECT_TRUE(json.contains("speedup_vs_one_thread")) << mode;
    EXPECT_EQ(json.contains("loop_seconds"), !convoy) << mode;
    EXPECT_FALSE(json.contains("speedup")) << mode;
    if (!convoy) {
      EXPECT_NEAR(json["speedup_vs_loop"].get<double>(),
                  json["loop_seconds"].get<double>() / json["seconds"].get<double>(),
                  1e-9)
          << mode;
    }
    EXPECT_EQ(json["overlapping_holders"], 0) << mode;
  }
}

TEST(Ch06Program, VariantIsASynonymOfMode) {
  const auto r = run_chapter(kProgram, {"--variant", "nogil", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["variant"], "nogil");
}

class Ch06BadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(Ch06BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, "ch06_gil_contrast", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch06BadInput,
    ::testing::Values(
        BadInput{
            "interval_zero",
            {"--switch-interval", "0"},
            "--switch-interval: 0 is out of range; expected 0.01 to 1000 milliseconds"},
        BadInput{"interval_negative",
                 {"--switch-interval", "-5"},
                 "--switch-interval: -5 is out of range"},
        BadInput{"interval_words",
                 {"--switch-interval", "fast"},
                 "--switch-interval: 'fast' is not a number of milliseconds"},
        BadInput{"mode_unknown",
                 {"--mode", "threads"},
                 "unknown variant 'threads'; choose one of cpu, io, convoy, nogil"},
        BadInput{"block_zero", {"--block-ms", "0"}, "--block-ms: 0 is too small"},
        BadInput{
            "round_trips_zero", {"--round-trips", "0"}, "--round-trips: 0 is too small"},
        BadInput{"convoy_alone",
                 {"--mode", "convoy", "--workers", "1"},
                 "--workers: convoy needs at least 2 threads"},
        BadInput{"n_junk", {"--n", "20x"}, "--n: '20x' is not a whole number"}),
    ptut::testing::bad_input_name);

// --- --trace: the lock's holds and waits per thread, bounded; the same sum.

TEST(Ch06Program, ATracedCpuRunShowsTheThreadsTakingTurns) {
  const ptut::testing::TraceFile trace;
  const std::vector<std::string> args = {
      "--mode", "cpu", "--n", "2000000", "--switch-interval", "0.2"};
  auto with_trace = args;
  with_trace.insert(with_trace.end(), {"--trace", trace.path, "--json"});
  const auto r = run_chapter(kProgram, with_trace);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["sum"], "2000001000000");
  ASSERT_EQ(ptut::testing::trace_problems(trace.path), std::vector<std::string>{});
  const auto read = ptut::testing::read_trace(trace.path);
  for (const char* name : {"thread 1", "thread 2"}) {
    const auto* thread = read.track(name);
    ASSERT_NE(thread, nullptr) << name;
    EXPECT_GE(thread->named("hold lock").size(), 1u) << name;
    EXPECT_LE(thread->named("hold lock").size(), 1000u) << name;  // bounded
    EXPECT_TRUE(thread->named("chunk").empty()) << name;  // its holds are its work
  }
  ptut::testing::expect_never_two_at_once(read,
                                          "hold lock");  // the one-thread run's hold too
  ASSERT_NE(read.track("main"), nullptr);
  EXPECT_EQ(read.track("main")->named("tasks on one thread").size(), 1u);
}

TEST(Ch06Program, ATracedNogilRunHasAChunkPerThreadAndConvoyItsRoundTrips) {
  const ptut::testing::TraceFile nogil, convoy;
  auto r = run_chapter(
      kProgram, {"--mode", "nogil", "--n", "2000000", "--trace", nogil.path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ASSERT_EQ(ptut::testing::trace_problems(nogil.path), std::vector<std::string>{});
  auto read = ptut::testing::read_trace(nogil.path);
  for (const char* name : {"thread 1", "thread 2"}) {
    ASSERT_NE(read.track(name), nullptr) << name;
    EXPECT_EQ(read.track(name)->named("chunk").size(), 1u) << name;
    EXPECT_TRUE(read.track(name)->named("hold lock").empty()) << name;
  }
  r = run_chapter(kProgram,
                  {"--mode", "convoy", "--n", "2000000", "--round-trips", "5",
                   "--switch-interval", "0.5", "--trace", convoy.path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true);
  ASSERT_EQ(ptut::testing::trace_problems(convoy.path), std::vector<std::string>{});
  read = ptut::testing::read_trace(convoy.path);
  const auto* io = read.track("I/O thread 1");
  ASSERT_NE(io, nullptr);
  EXPECT_EQ(io->named("round trip").size(), 5u);
  EXPECT_EQ(io->named("hold lock").size(), 6u);  // one before the trips, one after each
  ASSERT_NE(read.track("thread 2"), nullptr);
  EXPECT_EQ(read.track("main")->named("round trips alone").size(), 1u);
}

}  // namespace
