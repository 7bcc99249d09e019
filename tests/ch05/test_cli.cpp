// Chapter 5's executable, started as a reader starts it, and hurt as a reader might.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "bad_input.hpp"
#include "hurt.hpp"
#include "leak_check.hpp"
#include "ptut/process.hpp"
#include "runner.hpp"
#include "sanitizers.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch05_message_queues";

bool queues_exist(pid_t owner) {
  for (const char* which : {"tasks", "results"}) {
    if (std::filesystem::exists("/dev/shm/ptut_ch05_" + std::to_string(owner) + "_" +
                                which))
      return true;
  }
  return false;
}

class Ch05Program : public ptut::testing::NoLeaks {};

TEST_F(Ch05Program, DefaultsShowEachChunkAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  for (const std::string& line : r.err_lines()) {  // only news of another run's leftovers
    EXPECT_EQ(line.rfind("ch05_message_queues: removed /dev/shm/ptut_ch05_", 0), 0u)
        << line;
  }
  const auto lines = r.out_lines();
  EXPECT_EQ(lines.front(), "Chapter 5: message queues: dynamic, 2 workers");
  const std::regex chunk_line(
      R"(  worker [12]: chunk (\d+) = (\d+)\.\.(\d+), partial sum (\d+))");
  std::set<int> chunks;
  std::smatch match;
  for (const std::string& line : lines) {
    if (!std::regex_match(line, match, chunk_line)) continue;
    chunks.insert(std::stoi(match[1]));
    const std::uint64_t first = std::stoull(match[2]);
    const std::uint64_t last = std::stoull(match[3]);
    EXPECT_EQ(std::stoull(match[4]), (first + last) * (last - first + 1) / 2) << line;
  }
  EXPECT_EQ(chunks, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(
      lines.back().rfind(
          "dynamic, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
      0u)
      << lines.back();
}

TEST_F(Ch05Program, TheEmptySumNeedsNoWork) {
  for (const char* variant : {"dynamic", "static"}) {
    const auto r = run_chapter(kProgram, {"--n", "0", "--variant", variant, "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["sum"], "0");
  }
}

TEST_F(Ch05Program, BothVariantsAreExactAtTwoMillion) {
  for (const char* variant : {"dynamic", "static"}) {
    const auto r =
        run_chapter(kProgram, {"--n", "2000000", "--variant", variant, "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true) << variant;
    EXPECT_EQ(json["sum"], "2000001000000");
    EXPECT_EQ(json["variant"], variant);
    EXPECT_FALSE(queues_exist(r.pid));
  }
}

class Ch05Kill : public ptut::testing::NoLeaks,
                 public ::testing::WithParamInterface<const char*> {};

TEST_P(Ch05Kill, AWorkerKilledMidRunIsNamedWithinTwoSecondsAndNoQueueIsLeft) {
  const auto r = ptut::testing::expect_killed_worker_reported(
      kProgram, {"--n", "4000000000", "--work", "16", "--variant", GetParam()},
      std::regex(
          R"(ch05_message_queues: worker \d \(pid (\d+)\) was killed by SIGKILL\n)"));
  EXPECT_FALSE(queues_exist(r.pid));
}

INSTANTIATE_TEST_SUITE_P(Variants, Ch05Kill, ::testing::Values("dynamic", "static"));

TEST_F(Ch05Program, SigtermToOneWorkerIsThatWorkersFailure) {
  // Nobody signalled the parent: it must not end as if it had been interrupted.
  const auto r = ptut::testing::expect_killed_worker_reported(
      kProgram, {"--n", "4000000000", "--work", "16"},
      std::regex(
          R"(ch05_message_queues: worker 2 \(pid (\d+)\) was killed by SIGTERM\n)"),
      SIGTERM);
  EXPECT_FALSE(queues_exist(r.pid));
}

class Ch05Interrupt : public ptut::testing::NoLeaks,
                      public ::testing::WithParamInterface<int> {};

TEST_P(Ch05Interrupt, RemovesTheQueuesAndEndsByTheSignal) {
  const auto r = ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16"}, GetParam());
  EXPECT_FALSE(queues_exist(r.pid));
}

INSTANTIATE_TEST_SUITE_P(Signals, Ch05Interrupt,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& signal_info) {
                           return ptut::signal_name(signal_info.param);
                         });

TEST_F(Ch05Program, TwoRunsAtOnceDoNotCollide) {
  ptut::testing::expect_two_runs_do_not_collide(
      kProgram, {"--n", "300000000", "--work", "8", "--json"},
      {"--n", "2000000", "--json"}, queues_exist);
}

TEST_F(Ch05Program, AnInterruptToTheWholeProcessGroupIsReportedAsOne) {
  // Ctrl-C signals every process in the foreground group, workers included.
  (void)ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16"}, SIGINT,
      /*whole_group=*/true);
}

class Ch05BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch05BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, "ch05_message_queues", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch05BadInput,
    ::testing::Values(
        BadInput{"chunk_zero", {"--chunk", "0"}, "--chunk: 0 is too small"},
        BadInput{"chunk_negative", {"--chunk", "-4"}, "--chunk: -4 is negative"},
        BadInput{"chunk_junk", {"--chunk", "1k"}, "--chunk: '1k' is not a whole number"},
        BadInput{"chunk_beyond_any_n",
                 {"--chunk", "99999999999"},
                 "--chunk: 99999999999 is too large: at most 6074000999, the largest N"},
        BadInput{"chunk_with_static",
                 {"--variant", "static", "--chunk", "5"},
                 "--chunk: the static variant has one chunk per worker"},
        BadInput{"skew_too_large",
                 {"--skew", "65"},
                 "--skew: 65 is too large: at most 64 extra rounds"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{
            "variant_unknown",
            {"--variant", "round_robin"},
            "--variant: unknown variant 'round_robin'; choose one of dynamic, static"},
        BadInput{"fault_no_such_worker",
                 {"--fault", "3:kill"},
                 "--fault: there is no worker 3; expected 1 to 2"},
        BadInput{"fault_unknown_kind",
                 {"--fault", "1:hang"},
                 "--fault: '1:hang' is not WORKER:KIND with KIND kill or exit"},
        BadInput{
            "unknown_flag", {"--queues", "2"}, "unknown option or argument '--queues 2'"},
        BadInput{
            "trace_into_no_folder",
            {"--trace", "/nonexistent/run.json"},
            "--trace: cannot write '/nonexistent/run.json': No such file or directory"}),
    ptut::testing::bad_input_name);

// --trace: what each worker did, and when (ptut/trace.hpp).
class Ch05Trace : public ptut::testing::NoLeaks {
 protected:
  // Runs the program with `args` and --trace, expects a clean, exact run and a
  // valid trace, and returns the trace.
  ptut::testing::Trace traced(std::vector<std::string> args) {
    const std::string path =
        ::testing::TempDir() + "ch05_trace_" + std::to_string(getpid()) + ".json";
    args.insert(args.end(), {"--trace", path, "--json"});
    const auto r = run_chapter(kProgram, args);
    EXPECT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
    EXPECT_TRUE(nlohmann::json::parse(r.out).value("correct", false)) << r.out;
    EXPECT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
    auto trace = ptut::testing::read_trace(path);
    std::filesystem::remove(path);
    return trace;
  }
};

// The acceptance run of issue 35: with --skew 32 the article's static halves are
// unequal work, and the trace shows it. What each half costs is measured in the
// same test, by one worker taking the two halves one after the other; the workers'
// CPU time per chunk (the trace's thread clock) compares them, so a worker that
// lost its core for a while does not count as slower. A core shared with another
// test (ctest -j) still slows a chunk's instructions, so a comparison that misses
// is measured again, up to three times: a static split that did not give the
// second worker the costlier half would miss every time.
TEST_F(Ch05Trace, StaticLeavesTheSecondWorkerTheCostlierHalfAsThatHalfCosts) {
  if (ptut::testing::kSanitized) {
    GTEST_SKIP() << "CPU times under a sanitizer beside other tests said 0.23 to 5.2 for "
                    "the same halves; the comparison is the default build's";
  }
  const std::vector<std::string> run = {"--n", "20000000", "--skew", "32"};
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), run.begin(), run.end());
    return traced(more);
  };
  std::string attempts;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const auto halves =
        with({"--variant", "dynamic", "--workers", "1", "--chunk", "10000000"});
    const auto* alone = halves.track("worker 1");
    ASSERT_NE(alone, nullptr);
    const auto costs = alone->named("chunk");
    ASSERT_EQ(costs.size(), 2u);
    ASSERT_GT(costs[0].cpu_ms, 0.0);
    const double predicted = costs[1].cpu_ms / costs[0].cpu_ms;
    EXPECT_GT(predicted, 1.5) << "--skew 32 should make the second half far costlier";

    const auto split = with({"--variant", "static"});
    const auto* first = split.track("worker 1");
    const auto* second = split.track("worker 2");
    ASSERT_NE(first, nullptr);
    ASSERT_NE(second, nullptr);
    ASSERT_EQ(first->named("chunk").size(), 1u);
    ASSERT_EQ(second->named("chunk").size(), 1u);
    EXPECT_NE(split.track("parent"), nullptr);
    const double measured = second->total_cpu_ms("chunk") / first->total_cpu_ms("chunk");
    attempts += " worker 2 / worker 1 = " + std::to_string(measured) +
                " against the halves alone " + std::to_string(predicted) + ";";
    if (std::abs(measured / predicted - 1.0) <= 0.3 &&
        second->last_end_ms() > first->last_end_ms())
      return;
  }
  ADD_FAILURE() << "in CPU time per chunk," << attempts;
}

// Dynamic chunks keep both busy: whichever worker ends first ends at most one
// chunk before the other (its longest chunk, as traced).
TEST_F(Ch05Trace, DynamicEndsTheWorkersWithinOneChunkOfEachOther) {
  const auto trace = traced({"--variant", "dynamic", "--n", "20000000", "--skew", "32"});
  const auto* first = trace.track("worker 1");
  const auto* second = trace.track("worker 2");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  double longest_chunk = 0;
  std::size_t chunks = 0;
  for (const auto* worker : {first, second}) {
    for (const auto& chunk : worker->named("chunk")) {
      longest_chunk = std::max(longest_chunk, chunk.ms());
      ++chunks;
    }
  }
  EXPECT_EQ(chunks, 16u);  // the default: about 8 per worker
  const double first_done = first->named("chunk").back().end_ms;
  const double second_done = second->named("chunk").back().end_ms;
  EXPECT_LE(std::abs(first_done - second_done), longest_chunk + 5.0)
      << "worker 1's last chunk ended at " << first_done << " ms, worker 2's at "
      << second_done << " ms";
}

TEST_F(Ch05Trace, AKilledWorkersTraceIsValidAndEndsWhereItDied) {
  const std::string path =
      ::testing::TempDir() + "ch05_killed_" + std::to_string(getpid()) + ".json";
  const auto r = run_chapter(kProgram, {"--n", "2000000000", "--workers", "3", "--fault",
                                        "2:kill", "--trace", path});
  EXPECT_EQ(r.exit_code, 1) << r.how();
  EXPECT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
  const auto trace = ptut::testing::read_trace(path);
  std::filesystem::remove(path);
  ptut::testing::expect_died_in(trace, "worker 2", "died", "worker 2 (pid");
  ptut::testing::expect_died_in(trace, "worker 2", "died", "killed by SIGKILL");
}

}  // namespace
