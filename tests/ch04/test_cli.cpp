// Chapter 4's executable, started as a reader starts it, and hurt as a reader might.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "bad_input.hpp"
#include "hurt.hpp"
#include "leak_check.hpp"
#include "output.hpp"
#include "ptut/process.hpp"
#include "ptut/timing.hpp"
#include "runner.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch04_pipes";

class Ch04Program : public ptut::testing::NoLeaks {};

const std::regex kStep(
    R"(  worker ([12]) \(pid \d+\): i = +(\d+), my partial sum = +\d+)");

TEST_F(Ch04Program, DefaultsShowEveryWorkersStepsAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.out_lines();
  EXPECT_EQ(lines.front(), "Chapter 4: pipes: asio, 2 workers");
  EXPECT_EQ(ptut::testing::step_counts(lines, kStep),
            (std::map<int, int>{{1, 10}, {2, 10}}));
  EXPECT_NE(r.out.find("  worker 1: 11 records, 448 bytes; the longest waited "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" in write(); partial sum 155\n"), std::string::npos) << r.out;
  EXPECT_EQ(lines.back().rfind(
                "asio, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
            0u)
      << lines.back();
}

TEST_F(Ch04Program, SequentialShowsWorkerOnesStepsFirst) {
  const auto r = run_chapter(kProgram, {"--variant", "sequential", "--slow", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  std::vector<int> order;
  std::smatch match;
  for (const std::string& line : r.out_lines()) {
    if (std::regex_match(line, match, kStep)) order.push_back(std::stoi(match[1]));
  }
  const std::vector<int> expected{1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                  2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
  EXPECT_EQ(order, expected) << r.out;
}

TEST_F(Ch04Program, BothVariantsAreExactAtTwoMillion) {
  for (const char* variant : {"asio", "sequential"}) {
    const auto r =
        run_chapter(kProgram, {"--n", "2000000", "--variant", variant, "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true) << variant;
    EXPECT_EQ(json["sum"], "2000001000000");
    EXPECT_EQ(json["variant"], variant);
    EXPECT_EQ(json["partials"], nlohmann::json::array({"500000500000", "1500000500000"}));
  }
}

class Ch04Kill : public ptut::testing::NoLeaks,
                 public ::testing::WithParamInterface<const char*> {};

TEST_P(Ch04Kill, AWorkerKilledMidRunIsNamedWithItsSignalWithinTwoSeconds) {
  (void)ptut::testing::expect_killed_worker_reported(
      kProgram, {"--n", "4000000000", "--work", "16", "--variant", GetParam()},
      std::regex(R"(ch04_pipes: worker 2 \(pid (\d+)\) was killed by SIGKILL )"
                 R"(before sending its result\n)"));
}

INSTANTIATE_TEST_SUITE_P(Variants, Ch04Kill, ::testing::Values("asio", "sequential"));

class Ch04Interrupt : public ptut::testing::NoLeaks,
                      public ::testing::WithParamInterface<int> {};

TEST_P(Ch04Interrupt, StopsEveryWorkerAndEndsByTheSignal) {
  (void)ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16"}, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Signals, Ch04Interrupt,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& signal_info) {
                           return ptut::signal_name(signal_info.param);
                         });

TEST_F(Ch04Program, AnInterruptToTheWholeProcessGroupIsReportedAsOne) {
  // Ctrl-C in a terminal signals every process in the foreground group: the
  // workers die of it, and their SIGCHLD may come before the parent's SIGINT.
  (void)ptut::testing::expect_interrupt_reported(
      kProgram, {"--n", "4000000000", "--work", "16"}, SIGINT,
      /*whole_group=*/true);
}

class Ch04Stop : public ptut::testing::NoLeaks,
                 public ::testing::WithParamInterface<bool> {};

TEST_P(Ch04Stop, AJobStoppedForAWhileDoesNotBlameItsWorkers) {
  // Ctrl-Z and fg (the whole group), or a debugger (the parent alone): for 1.5 s
  // the parent reads nothing, longer than the hang timeout.
  ptut::testing::expect_stop_forgiven(kProgram,
                                      {"--n", ptut::testing::outlasting_n(), "--work",
                                       "4", "--hang-timeout", "1", "--json"},
                                      /*whole_group=*/GetParam());
}

INSTANTIATE_TEST_SUITE_P(Who, Ch04Stop, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& stop_info) {
                           return stop_info.param ? "WholeGroup" : "ParentAlone";
                         });

TEST_F(Ch04Program, SigtermToOneWorkerIsThatWorkersFailure) {
  // Nobody signalled the parent: it must not end as if it had been interrupted.
  (void)ptut::testing::expect_killed_worker_reported(
      kProgram, {"--n", "4000000000", "--work", "16"},
      std::regex(R"(ch04_pipes: worker 2 \(pid (\d+)\) was killed by SIGTERM )"
                 R"(before sending its result\n)"),
      SIGTERM);
}

TEST_F(Ch04Program, StartedWithSigchldBlockedItStillHearsItsWorkersEnd) {
  // A signal mask survives exec: a parent that blocked SIGCHLD passes it on.
  const std::string script =
      "import os, signal, sys\n"
      "signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])\n"
      "os.execv(sys.argv[1], sys.argv[1:])\n";
  const auto r = ptut::testing::run_program(
      "/usr/bin/python3",
      {"-c", script, ptut::testing::chapter_path(kProgram), "--n", "2000000", "--json"},
      20s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true);
}

TEST_F(Ch04Program, StartedWithSigchldIgnoredItStillHearsItsWorkersEnd) {
  const auto r = ptut::testing::run_program(
      "/bin/sh",
      {"-c", "trap '' CHLD; exec " + ptut::testing::chapter_path(kProgram) +
                 " --n 2000000 --json"},
      20s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true);
}

// Each worker's chunk and sends, the parent's start, gathering (a receive per
// record, each worker's result among them) and reduce; the sum the same as untraced.
TEST_F(Ch04Program, ATracedRunHasEveryWorkersSpansAndTheSameSum) {
  for (const char* variant : {"asio", "sequential"}) {
    const ptut::testing::TraceFile trace_file;
    const std::string& path = trace_file.path;
    const auto traced = ptut::testing::run_chapter_json(
        kProgram, {"--n", "2000000", "--variant", variant, "--trace", path});
    const auto untraced = ptut::testing::run_chapter_json(
        kProgram, {"--n", "2000000", "--variant", variant});
    EXPECT_EQ(traced["sum"], untraced["sum"]) << variant;
    EXPECT_EQ(traced["correct"], true) << variant;
    ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{}) << variant;
    const auto trace = ptut::testing::read_trace(path);
    const auto* parent = trace.track("parent");
    ASSERT_NE(parent, nullptr) << variant;
    for (const char* span : {"start workers", "gather", "reduce"})
      EXPECT_EQ(parent->named(span).size(), 1u) << variant << ": " << span;
    const auto receives = parent->named("receive");
    for (int worker : {1, 2}) {
      const auto name = "worker " + std::to_string(worker);
      const auto* track = trace.track(name);
      ASSERT_NE(track, nullptr) << variant << ": " << name;
      ASSERT_EQ(track->named("chunk").size(), 1u) << variant << ": " << name;
      const auto sends = track->named("send");
      ASSERT_FALSE(sends.empty()) << variant << ": " << name;
      EXPECT_GE(sends.back().begin_ms, track->named("chunk")[0].end_ms)
          << variant << ": " << name << " sends its result after its chunk";
      const auto results =
          std::count_if(receives.begin(), receives.end(), [worker](const auto& receive) {
            return receive.args.value("worker", 0) == worker &&
                   receive.args.contains("result");
          });
      EXPECT_EQ(results, 1) << variant << ": " << name;
    }
  }
}

TEST_F(Ch04Program, AKilledWorkerLeavesATraceThatSaysWhereItEnded) {
  const ptut::testing::TraceFile trace_file;
  const std::string& path = trace_file.path;
  const auto r = run_chapter(
      kProgram,
      {"--n", "2000000000", "--workers", "3", "--fault", "2:kill", "--trace", path}, 20s);
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
  const auto trace = ptut::testing::read_trace(path);
  ptut::testing::expect_died_in(trace, "worker 2", "chunk", "killed by SIGKILL");
}

TEST_F(Ch04Program, AUsageErrorLeavesNoTraceBehind) {
  const ptut::testing::TraceFile trace_file;
  const std::string& path = trace_file.path;
  const auto r = run_chapter(kProgram, {"--slow", "1", "--json", "--trace", path});
  EXPECT_EQ(r.exit_code, 2) << r.how() << "\n" << r.err;
  EXPECT_FALSE(std::filesystem::exists(path));
}

struct FaultRun {
  std::string name;
  std::vector<std::string> args;
  std::string says;
  friend void PrintTo(const FaultRun& run, std::ostream* out) { *out << run.name; }
};

class Ch04ProgramFault : public ptut::testing::NoLeaks,
                         public ::testing::WithParamInterface<FaultRun> {};

TEST_P(Ch04ProgramFault, ExitsOneWithOneLineNamingTheWorker) {
  std::vector<std::string> args{"--workers", "3", "--hang-timeout", "1"};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  const auto r = run_chapter(kProgram, args, 20s);
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find(GetParam().says), std::string::npos) << r.err;
  EXPECT_LT(r.seconds, GetParam().name == "hang" ? 3.0 : 2.0);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, Ch04ProgramFault,
    ::testing::Values(
        FaultRun{"kill",
                 {"--n", "2000000000", "--fault", "2:kill"},
                 "ch04_pipes: worker 2 (pid "},
        FaultRun{"early",
                 {"--n", "2000000000", "--fault", "2:early"},
                 ") exited with status 0 without sending its result"},
        FaultRun{"garbage",
                 {"--n", "2000000000", "--fault", "3:garbage"},
                 ") sent a malformed record: it does not start with the mark PTC4"},
        FaultRun{
            "hang", {"--n", "2000000000", "--fault", "1:hang"}, ") sent nothing for "},
        FaultRun{"kept_write_end",
                 {"--n", "2000", "--mistake", "keep-write-end"},
                 "its pipe has not reached end-of-file"}),
    [](const ::testing::TestParamInfo<FaultRun>& fault_info) {
      return fault_info.param.name;
    });

class Ch04BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch04BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, "ch04_pipes", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch04BadInput,
    ::testing::Values(
        BadInput{"n_junk", {"--n", "2e6"}, "--n: '2e6' is not a whole number"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{"variant_unknown",
                 {"--variant", "threads"},
                 "--variant: unknown variant 'threads'; choose one of asio, sequential"},
        BadInput{"fault_no_such_worker",
                 {"--fault", "3:kill"},
                 "--fault: there is no worker 3; expected 1 to 2"},
        BadInput{"fault_unknown_kind",
                 {"--fault", "1:exit"},
                 "--fault: '1:exit' is not WORKER:KIND with KIND kill or early or "
                 "garbage or hang"},
        BadInput{"slow_no_such_worker",
                 {"--slow", "3"},
                 "--slow: there is no worker 3; expected 1 to 2"},
        BadInput{"slow_zero", {"--slow", "0"}, "--slow: 0 is too small"},
        BadInput{"slow_without_steps",
                 {"--slow", "1", "--json"},
                 "--slow: a slow worker shows only in the steps"},
        BadInput{"chatter_negative", {"--chatter", "-5"}, "--chatter: -5 is negative"},
        BadInput{"chatter_huge",
                 {"--chatter", "2000000000"},
                 "--chatter: 2000000000 is too large: at most 1 GiB per worker"},
        BadInput{"mistake_unknown",
                 {"--mistake", "forget"},
                 "--mistake: forget not in {none,keep-write-end}"},
        BadInput{"hang_timeout_zero",
                 {"--hang-timeout", "0"},
                 "--hang-timeout: 0 is out of range; expected 0.1 to 3600 seconds"},
        BadInput{
            "unknown_flag", {"--pipes", "2"}, "unknown option or argument '--pipes 2'"}),
    ptut::testing::bad_input_name);

}  // namespace
