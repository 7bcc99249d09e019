// Chapter 2's executable, started as a reader starts it, and hurt as a reader might.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "bad_input.hpp"
#include "hurt.hpp"
#include "leak_check.hpp"
#include "output.hpp"
#include "oracle.hpp"
#include "ptut/timing.hpp"
#include "ptut/process.hpp"
#include "runner.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch02_fork_shared_memory";

class Ch02Program : public ptut::testing::NoLeaks {};

TEST_F(Ch02Program, DefaultsShowEveryWorkersStepsAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.out_lines();
  EXPECT_EQ(
      lines.front(),
      "Chapter 2: fork and shared memory: partials, 2 workers, anonymous shared memory");
  const std::regex step(
      R"(  worker ([12]) \(pid \d+\): i = +(\d+), my partial sum = +\d+)");
  EXPECT_EQ(ptut::testing::step_counts(lines, step),
            (std::map<int, int>{{1, 10}, {2, 10}}));
  EXPECT_NE(r.out.find("  the parent adds the slots: 55 155\n"), std::string::npos);
  EXPECT_EQ(
      lines.back().rfind(
          "partials, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
      0u)
      << lines.back();
}

TEST_F(Ch02Program, EveryExactVariantIsCorrectAtTwoMillion) {
  for (const char* variant : {"locked", "atomic", "partials"}) {
    for (const char* memory : {"anonymous", "named"}) {
      const auto r = run_chapter(kProgram, {"--n", "2000000", "--variant", variant,
                                            "--memory", memory, "--json"});
      ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
      ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
      const auto json = nlohmann::json::parse(r.out);
      EXPECT_EQ(json["correct"], true) << variant;
      EXPECT_EQ(json["sum"], "2000001000000");
      EXPECT_EQ(json["workers"], 2);
      EXPECT_EQ(json["memory"], memory);
    }
  }
}

TEST_F(Ch02Program, RacyReportsWhatItLostAndSucceeds) {
  const auto r = run_chapter(kProgram, {"--n", "2000000", "--variant", "racy", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ptut::testing::expect_consistent_racy_report(nlohmann::json::parse(r.out), 2'000'000);
}

// Each worker's start-up and chunk, the parent's spans, and for `locked` the
// first turns at the lock, one by one; the sum the same as untraced.
TEST_F(Ch02Program, ATracedRunHasEveryWorkersSpansAndTheSameSum) {
  for (const char* variant : {"locked", "partials"}) {
    const ptut::testing::TraceFile trace_file;
    const std::string& path = trace_file.path;
    const auto traced = ptut::testing::run_chapter_json(
        kProgram, {"--n", "20000", "--variant", variant, "--trace", path});
    const auto untraced =
        ptut::testing::run_chapter_json(kProgram, {"--n", "20000", "--variant", variant});
    EXPECT_EQ(traced["sum"], untraced["sum"]) << variant;
    EXPECT_EQ(traced["correct"], true) << variant;
    ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{}) << variant;
    const auto trace = ptut::testing::read_trace(path);
    const auto* parent = trace.track("parent");
    ASSERT_NE(parent, nullptr) << variant;
    for (const char* span : {"start workers", "wait", "gather"})
      EXPECT_EQ(parent->named(span).size(), 1u) << variant << ": " << span;
    const bool locked = std::string(variant) == "locked";
    for (const char* worker : {"worker 1", "worker 2"}) {
      const auto* track = trace.track(worker);
      ASSERT_NE(track, nullptr) << variant << ": " << worker;
      EXPECT_EQ(track->named("start-up").size(), 1u) << variant << ": " << worker;
      ASSERT_EQ(track->named("chunk").size(), 1u) << variant << ": " << worker;
      const auto chunk = track->named("chunk")[0];
      EXPECT_EQ(chunk.args.value("traced lock turns", -1), locked ? 200 : 0) << variant;
      const std::size_t turns = locked ? 200 : 0;
      EXPECT_EQ(track->named("wait for lock").size(), turns) << variant << ": " << worker;
      EXPECT_EQ(track->named("hold lock").size(), turns) << variant << ": " << worker;
      for (const auto& hold : track->named("hold lock")) {
        EXPECT_GE(hold.begin_ms, chunk.begin_ms);
        EXPECT_LE(hold.end_ms, chunk.end_ms);
      }
    }
  }
}

TEST_F(Ch02Program, AWorkerThatDiesLeavesATraceThatSaysWhereItEnded) {
  const ptut::testing::TraceFile trace_file;
  const std::string& path = trace_file.path;
  const auto r =
      run_chapter(kProgram, {"--n", "20000000", "--fault", "2:abort", "--trace", path});
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
  const auto trace = ptut::testing::read_trace(path);
  ptut::testing::expect_died_in(trace, "worker 2", "chunk", "killed by SIGABRT");
}

TEST_F(Ch02Program, AUsageErrorLeavesNoTraceBehind) {
  const ptut::testing::TraceFile trace_file;
  const std::string& path = trace_file.path;
  const auto r = run_chapter(kProgram, {"--lock", "plain", "--trace", path});
  EXPECT_EQ(r.exit_code, 2) << r.how() << "\n" << r.err;
  EXPECT_FALSE(std::filesystem::exists(path));
}

class Ch02Kill : public ptut::testing::NoLeaks,
                 public ::testing::WithParamInterface<const char*> {};

TEST_P(Ch02Kill, AWorkerKilledMidRunIsNamedWithinTwoSecondsAndNothingIsLeft) {
  const auto r = ptut::testing::expect_killed_worker_reported(
      kProgram,
      {"--n", "4000000000", "--work", "16", "--variant", GetParam(), "--memory", "named"},
      std::regex(
          R"(ch02_fork_shared_memory: worker \d \(pid (\d+)\) was killed by SIGKILL\n)"));
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/ptut_ch02_" + std::to_string(r.pid) +
                                       "_segment"));
}

// `locked` matters most: the killed worker may die holding the mutex.
INSTANTIATE_TEST_SUITE_P(Variants, Ch02Kill,
                         ::testing::Values("partials", "locked", "racy"));

TEST_F(Ch02Program, AWorkerKilledHoldingThePlainLockLeavesNobodyHanging) {
  // The plain lock has no time limit: a worker killed while holding it leaves the
  // other blocked for ever. Nobody needs it once the parent has stopped them all.
  (void)ptut::testing::expect_killed_worker_reported(
      kProgram,
      {"--n", "4000000000", "--work", "16", "--variant", "locked", "--lock", "plain"},
      std::regex(
          R"(ch02_fork_shared_memory: worker \d \(pid (\d+)\) was killed by SIGKILL\n)"));
}

TEST_F(Ch02Program, SigtermToOneWorkerIsThatWorkersFailure) {
  // Nobody signalled the parent: it must not end as if it had been interrupted.
  const auto r = ptut::testing::expect_killed_worker_reported(
      kProgram, {"--n", "4000000000", "--work", "16", "--memory", "named"},
      std::regex(
          R"(ch02_fork_shared_memory: worker 2 \(pid (\d+)\) was killed by SIGTERM\n)"),
      SIGTERM);
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/ptut_ch02_" + std::to_string(r.pid) +
                                       "_segment"));
}

TEST_F(Ch02Program, AJobStoppedLongerThanTheHangTimeoutDoesNotBlameItsWorkers) {
  // Ctrl-Z, then fg after 1.5 s: the workers were stopped too, and the parent's
  // looks after it (before the workers get a core again) must not count that time
  // as theirs.
  ptut::testing::expect_stop_forgiven(kProgram,
                                      {"--n", ptut::testing::outlasting_n(), "--work",
                                       "4", "--hang-timeout", "1", "--json"},
                                      /*whole_group=*/true);
}

class Ch02Interrupt : public ptut::testing::NoLeaks,
                      public ::testing::WithParamInterface<int> {};

TEST_P(Ch02Interrupt, StopsEverythingCleansUpAndEndsByTheSignal) {
  const auto r = ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16", "--memory", "named"}, GetParam());
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/ptut_ch02_" + std::to_string(r.pid) +
                                       "_segment"));
}

INSTANTIATE_TEST_SUITE_P(Signals, Ch02Interrupt,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& signal_info) {
                           return ptut::signal_name(signal_info.param);
                         });

TEST_F(Ch02Program, StartedWithSigchldIgnoredItStillReapsAndFinishes) {
  // An ignored SIGCHLD is inherited through exec; the kernel would then reap the
  // workers itself, and a naive waitpid loop would wait for ever.
  const auto r = ptut::testing::run_program(
      "/bin/sh",
      {"-c", "trap '' CHLD; exec " + ptut::testing::chapter_path(kProgram) +
                 " --n 2000000 --json"},
      20s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true);
}

TEST_F(Ch02Program, TwoRunsAtOnceDoNotCollide) {
  ptut::testing::expect_two_runs_do_not_collide(
      kProgram, {"--n", "300000000", "--work", "8", "--memory", "named", "--json"},
      {"--n", "2000000", "--memory", "named", "--json"}, [](pid_t running) {
        return std::filesystem::exists("/dev/shm/ptut_ch02_" + std::to_string(running) +
                                       "_segment");
      });
}

TEST_F(Ch02Program, AnInterruptToTheWholeProcessGroupIsReportedAsOne) {
  // Ctrl-C signals every process in the foreground group, workers included.
  (void)ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16", "--memory", "named"}, SIGINT,
      /*whole_group=*/true);
}

class Ch02BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch02BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, "ch02_fork_shared_memory", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch02BadInput,
    ::testing::Values(
        BadInput{"n_negative", {"--n", "-1"}, "--n: -1 is negative"},
        BadInput{"n_junk", {"--n", "2e6"}, "--n: '2e6' is not a whole number"},
        BadInput{"n_empty", {"--n", ""}, "--n: an empty value is not a number"},
        BadInput{
            "n_sum_overflows", {"--n", "6074001000"}, "--n: 6074001000 is too large"},
        BadInput{"workers_zero",
                 {"--workers", "0"},
                 "--workers: 0 is too small; expected a whole number from 1 to 256"},
        BadInput{"workers_negative", {"--workers", "-2"}, "--workers: -2 is negative"},
        BadInput{"workers_absurd",
                 {"--workers", "100000"},
                 "--workers: 100000 is too large: at most 256 workers"},
        BadInput{"variant_unknown",
                 {"--variant", "fast"},
                 "--variant: unknown variant 'fast'; choose one of racy, locked, atomic, "
                 "partials"},
        BadInput{"memory_unknown",
                 {"--memory", "disk"},
                 "--memory: disk not in {anonymous,named}"},
        BadInput{"lock_unknown",
                 {"--variant", "locked", "--lock", "spin"},
                 "--lock: spin not in {timed,plain}"},
        BadInput{"lock_without_locked",
                 {"--lock", "plain"},
                 "--lock: only the locked variant takes a lock; add --variant locked"},
        BadInput{"fault_no_such_worker",
                 {"--fault", "3:exit"},
                 "--fault: there is no worker 3; expected 1 to 2"},
        BadInput{
            "fault_worker_zero", {"--fault", "0:exit"}, "--fault: there is no worker 0"},
        BadInput{"fault_unknown_kind",
                 {"--fault", "1:explode"},
                 "--fault: '1:explode' is not WORKER:KIND"},
        BadInput{"fault_no_kind", {"--fault", "1"}, "--fault: '1' is not WORKER:KIND"},
        BadInput{"hang_timeout_zero",
                 {"--hang-timeout", "0"},
                 "--hang-timeout: 0 is out of range; expected 0.1 to 3600 seconds"},
        BadInput{"hang_timeout_nan",
                 {"--hang-timeout", "nan"},
                 "--hang-timeout: nan is out of range"},
        BadInput{"hang_timeout_words",
                 {"--hang-timeout", "abc"},
                 "--hang-timeout: 'abc' is not a number of seconds"},
        BadInput{"unknown_flag",
                 {"--processes", "2"},
                 "unknown option or argument '--processes 2'"}),
    ptut::testing::bad_input_name);

}  // namespace
