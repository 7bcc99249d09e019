// Chapter 8's program on one machine, started as a reader starts it: through
// chapters/08_mpi/run (mpirun -n K), by hand with mpirun, and alone; then hurt.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "bad_input.hpp"
#include "hurt.hpp"
#include "leak_check.hpp"
#include "mpi_support.hpp"
#include "ptut/range.hpp"
#include "runner.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::ProcessResult;
using ptut::testing::run_program;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch08_mpi";

/// The run scripts start this build's program, not build/bin's.
class Ch08Program : public ptut::testing::NoLeaks {
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

ProcessResult run_script(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = 60s,
                         const ptut::testing::WhileRunning& while_running = {}) {
  return run_program(PTUT_CH08_RUN, args, timeout, while_running);
}

/// Each rank's chunk must be split_range's, and its partial sum that chunk's sum.
void expect_ranks_add_up(const nlohmann::json& json, std::uint64_t n, unsigned ranks) {
  const auto chunks = ptut::split_range(n, ranks);
  ASSERT_EQ(json["ranks"].size(), ranks);
  for (unsigned r = 0; r < ranks; ++r) {
    const auto& rank = json["ranks"][r];
    EXPECT_EQ(rank["rank"], r);
    EXPECT_EQ(rank["first"], chunks[r].first);
    EXPECT_EQ(rank["last"], chunks[r].last);
    EXPECT_EQ(rank["partial"], std::to_string(ptut::closed_form(chunks[r])))
        << "rank " << r;
  }
}

class Ch08Exact : public Ch08Program,
                  public ::testing::WithParamInterface<
                      std::tuple<const char*, unsigned, std::uint64_t>> {};

TEST_P(Ch08Exact, EveryRankAndTheTotalAreExact) {
  const auto [variant, ranks, n] = GetParam();
  const auto r = run_script({"--variant", variant, "--workers", std::to_string(ranks),
                             "--n", std::to_string(n), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ASSERT_EQ(r.out_lines().size(), 1u) << "rank 0 alone prints, one JSON object:\n"
                                      << r.out;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["sum"], std::to_string(ptut::closed_form(n)));
  EXPECT_EQ(json["correct"], true);
  EXPECT_EQ(json["variant"], variant);
  EXPECT_EQ(json["workers"], ranks);
  expect_ranks_add_up(json, n, ranks);
}

INSTANTIATE_TEST_SUITE_P(
    Grid, Ch08Exact,
    ::testing::Combine(::testing::Values("reduce", "send_recv"),
                       ::testing::Values(1u, 2u, 3u),
                       ::testing::Values(std::uint64_t{0}, std::uint64_t{1},
                                         std::uint64_t{20}, std::uint64_t{2'000'000})),
    [](const auto& param_info) {
      return std::string(std::get<0>(param_info.param)) + "_" +
             std::to_string(std::get<1>(param_info.param)) + "_ranks_n_" +
             std::to_string(std::get<2>(param_info.param));
    });

TEST_F(Ch08Program, TheRunScriptShowsEachRanksStepsAnd210) {
  const auto r = run_script({});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  // mpirun forwards each rank's output as it comes, rank by rank: lines keep
  // their order within a rank, not across ranks (rank 0's heading may follow
  // rank 1's first step on a busy machine).
  const auto lines = r.out_lines();
  const auto has_line = [&](const std::string& prefix) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has_line("Chapter 8: MPI: reduce, 2 ranks")) << r.out;
  const std::regex step(R"(  rank ([01]) on \S+: i = +(\d+), my partial sum = +(\d+))");
  std::smatch match;
  std::uint64_t last_step[2] = {0, 0};
  int steps = 0;
  for (const std::string& line : lines) {
    if (!std::regex_match(line, match, step)) continue;
    ++steps;
    const int rank = std::stoi(match[1]);
    const std::uint64_t i = std::stoull(match[2]);
    EXPECT_EQ(
        i, rank == 0 ? last_step[0] + 1 : std::max<std::uint64_t>(last_step[1] + 1, 11))
        << line;
    last_step[rank] = i;
  }
  EXPECT_EQ(steps, 20) << r.out;
  EXPECT_TRUE(
      has_line("reduce, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in "))
      << r.out;
}

TEST_F(Ch08Program, SendRecvShowsRankZeroReceivingEachPartialSum) {
  const auto r = run_script({"--variant", "send_recv", "--workers", "3", "--n", "9"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  for (const char* received : {"  rank 0: received 15 from rank 1, total so far ",
                               "  rank 0: received 24 from rank 2, "
                               "total so far "}) {
    EXPECT_NE(r.out.find(received), std::string::npos) << received << " in:\n" << r.out;
  }
  EXPECT_NE(r.out.find("send_recv, 3 workers: 1 + 2 + … + 9 = 45 (expected 45: correct)"),
            std::string::npos)
      << r.out;
}

// The acceptance command, typed by hand: mpirun -n 2 build/bin/ch08_mpi.
TEST_F(Ch08Program, PlainMpirunPrints210) {
  ptut::testing::allow_mpirun_as_root();
  const auto r =
      run_program(PTUT_MPIRUN, {"-n", "2", ptut::testing::chapter_path(kProgram)}, 60s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_NE(
      r.out.find("\nreduce, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct)"),
      std::string::npos)
      << r.out;
}

// Started without mpirun, an MPI program is a job of one rank (a "singleton").
TEST_F(Ch08Program, AloneItIsAJobOfOneRank) {
  const auto r = ptut::testing::run_chapter(kProgram, {"--n", "2000000", "--json"}, 60s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["workers"], 1);
  EXPECT_EQ(json["sum"], "2000001000000");
}

TEST_F(Ch08Program, WorkersThatDisagreeWithMpirunAreRefusedByRankZeroAlone) {
  const auto r = ptut::testing::run_chapter(kProgram, {"--workers", "3"}, 60s);
  EXPECT_EQ(r.exit_code, 2) << r.how();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "ch08_mpi: --workers 3: this job has 1 rank; start it with mpirun -n 3 (or "
            "chapters/08_mpi/run "
            "--workers 3)\n");
}

TEST_F(Ch08Program, UnderMpirunWorkersThatDisagreeAreOneLineFromRankZero) {
  const auto r = run_script({"--workers", "3"});  // the script checks this one itself...
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ptut::testing::allow_mpirun_as_root();
  // ...by hand, every rank refuses, rank 0 alone says why, and mpirun adds its report.
  const auto by_hand = run_program(
      PTUT_MPIRUN, {"-n", "2", ptut::testing::chapter_path(kProgram), "--workers", "3"},
      60s);
  EXPECT_EQ(by_hand.exit_code, 2) << by_hand.how();
  EXPECT_EQ(by_hand.out, "");
  EXPECT_EQ(by_hand.err_lines().front(),
            "ch08_mpi: --workers 3: this job has 2 ranks; start it with mpirun -n 3 (or "
            "chapters/08_mpi/run --workers 3)");
  EXPECT_EQ(by_hand.err.find("this job has", by_hand.err.find("this job has") + 1),
            std::string::npos)
      << "one line, from rank 0 only:\n"
      << by_hand.err;
}

TEST_F(Ch08Program, LargeRunsPrintRankZerosReportOnly) {
  const auto r = run_script({"--workers", "3", "--n", "2000000"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 5u) << "a heading, a line per rank, the summary:\n" << r.out;
  EXPECT_EQ(lines[0], "Chapter 8: MPI: reduce, 3 ranks");
  for (int rank = 0; rank < 3; ++rank) {
    EXPECT_EQ(lines[1 + rank].rfind("  rank " + std::to_string(rank) + " on ", 0), 0u)
        << lines[1 + rank];
  }
  EXPECT_EQ(r.err, "");
}

TEST_F(Ch08Program, AKilledRankEndsTheJobWithinSecondsAndLeavesNothing) {
  for (const char* rank : {"0", "1"}) {
    const auto r = run_script({"--kill-rank", rank, "--n", "6000000000", "--work", "16"});
    EXPECT_EQ(r.exit_code, 128 + SIGKILL) << "rank " << rank << ": " << r.how() << "\n"
                                          << r.err;
    EXPECT_LT(r.seconds, 10.0) << "rank " << rank;
    EXPECT_NE(r.err.find(std::string("process rank ") + rank), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("exited on signal 9 (Killed)"), std::string::npos) << r.err;
  }
}

// A rank killed from outside, as the kernel's out-of-memory killer would, once it is
// summing: 2 s of CPU is far past MPI_Init, even under a sanitizer. (Killed at a
// fixed 0.3 s on a busy machine, a rank still starting made its peer fail in
// MPI_Init first, and mpirun reported the peer's exit status, not the kill.)
TEST_F(Ch08Program, ARankKilledFromOutsideEndsTheJobWithinSeconds) {
  ptut::testing::KillOneWorker killer;  // mpirun's children are the ranks
  killer.at_work_cpu_seconds = 2.0;
  const auto r = run_script({"--n", "6000000000", "--work", "16"}, 60s, std::ref(killer));
  ASSERT_NE(killer.victim, 0) << "the run ended before a rank could be killed: "
                              << r.how();
  EXPECT_NE(r.exit_code, 0) << r.how();
  EXPECT_LT(killer.since_kill.seconds(), 5.0) << "mpirun took too long to notice";
  EXPECT_NE(r.err.find("exited on signal 9 (Killed)"), std::string::npos) << r.err;
}

TEST_F(Ch08Program, CtrlCStopsEveryRank) {
  ptut::testing::SignalTheProgram interrupter(SIGINT);
  interrupter.whole_group = true;
  const auto r =
      run_script({"--n", "6000000000", "--work", "16"}, 60s, std::ref(interrupter));
  ASSERT_TRUE(interrupter.sent) << r.how();
  EXPECT_NE(r.exit_code, 0) << r.how();
  EXPECT_LT(r.seconds, 10.0) << "a sum of minutes must stop at Ctrl-C";
}

class Ch08BadInput : public Ch08Program,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch08BadInput, ExitsTwoWithOneClearLineBeforeAnyRankStarts) {
  const auto r = run_script(GetParam().args);
  ptut::testing::expect_usage_error(r, kProgram, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch08BadInput,
    ::testing::Values(
        BadInput{"n_negative", {"--n", "-1"}, "--n: -1 is negative"},
        BadInput{"n_too_large", {"--n", "6074001000"}, "fit in 64 bits"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{"variant_unknown", {"--variant", "gather"}, "--variant"},
        BadInput{"kill_rank_outside",
                 {"--workers", "3", "--kill-rank", "3"},
                 "--kill-rank: there is no rank 3 in a job of 3 ranks; expected 0 to 2"},
        BadInput{
            "kill_rank_default_workers", {"--kill-rank", "2"}, "no rank 2 in a job of 2"},
        BadInput{"unknown_flag", {"--ranks", "2"}, "--ranks"},
        BadInput{
            "trace_into_no_folder",
            {"--trace", "/nonexistent/run.json"},
            "--trace: cannot write '/nonexistent/run.json': No such file or directory"}),
    ptut::testing::bad_input_name);

// --trace: every rank writes its own track into the one file rank 0 started.
class Ch08Trace : public Ch08Program {
 protected:
  std::string path_ =
      ::testing::TempDir() + "ch08_trace_" + std::to_string(getpid()) + ".json";
  void TearDown() override {
    std::filesystem::remove(path_);
    Ch08Program::TearDown();
  }
  // Runs the script with `args` on N = `n`, --trace and --json; expects the sum
  // an untraced run gives (the closed form, as Ch08Exact checks), and returns the
  // trace.
  ptut::testing::Trace traced(std::vector<std::string> args, std::uint64_t n) {
    args.insert(args.end(), {"--n", std::to_string(n), "--json", "--trace", path_});
    const auto r = run_script(args);
    EXPECT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true);
    EXPECT_EQ(json["sum"], std::to_string(ptut::closed_form(n)));
    EXPECT_EQ(ptut::testing::trace_problems(path_), std::vector<std::string>{});
    return ptut::testing::read_trace(path_);
  }
};

TEST_F(Ch08Trace, EveryRankHasItsTrackWithItsChunkAndItsPartInTheReduce) {
  const auto trace = traced({"--workers", "3"}, 3'000'000);
  const auto chunks = ptut::split_range(3'000'000, 3);
  for (unsigned r = 0; r < 3; ++r) {
    const auto* rank = trace.track("rank " + std::to_string(r));
    ASSERT_NE(rank, nullptr) << "rank " << r;
    ASSERT_EQ(rank->named("chunk").size(), 1u) << "rank " << r;
    const auto chunk = rank->named("chunk")[0];
    EXPECT_EQ(chunk.args.value("first", std::uint64_t{0}), chunks[r].first);
    EXPECT_EQ(chunk.args.value("last", std::uint64_t{0}), chunks[r].last);
    ASSERT_EQ(rank->named("reduce").size(), 1u) << "rank " << r;
    EXPECT_GE(rank->named("reduce")[0].begin_ms, chunk.end_ms) << "rank " << r;
    EXPECT_EQ(rank->named("barrier").size(), 1u) << "rank " << r;
    EXPECT_EQ(rank->named("gather").size(), 1u) << "rank " << r;
  }
  // Rank 0 cannot have the total before the last rank has finished its chunk.
  double last_chunk_end = 0;
  for (const auto& track : trace.tracks) {
    for (const auto& chunk : track.named("chunk"))
      last_chunk_end = std::max(last_chunk_end, chunk.end_ms);
  }
  EXPECT_GE(trace.track("rank 0")->named("reduce")[0].end_ms, last_chunk_end);
}

TEST_F(Ch08Trace, SendRecvShowsEachSendAndWhoEachReceiveWasFrom) {
  const auto trace = traced({"--variant", "send_recv", "--workers", "3"}, 3000);
  const auto* root = trace.track("rank 0");
  ASSERT_NE(root, nullptr);
  const auto receives = root->named("receive");
  ASSERT_EQ(receives.size(), 2u);
  std::set<int> senders;
  for (const auto& receive : receives) senders.insert(receive.args.value("from", -1));
  EXPECT_EQ(senders, (std::set<int>{1, 2}));
  for (const char* name : {"rank 1", "rank 2"}) {
    const auto* rank = trace.track(name);
    ASSERT_NE(rank, nullptr) << name;
    EXPECT_EQ(rank->named("send").size(), 1u) << name;
    EXPECT_EQ(rank->named("receive").size(), 0u) << name;
  }
}

// A dead rank ends the job before rank 0 can finish the file: what every rank wrote
// until then stays, in the format's "JSON array" form without its closing bracket
// (which Perfetto opens), with the dead rank's chunk begun and never ended.
TEST_F(Ch08Trace, AKilledRankLeavesAnOpenableTraceWithItsChunkUnfinished) {
  // Rank 0 is done with its chunk before long and waits in the reduce until
  // mpirun kills it too.
  const auto r = run_script({"--kill-rank", "1", "--n", "2000000", "--trace", path_});
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.how() << "\n" << r.err;
  std::ifstream in(path_);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "[");
  std::map<std::string, int> rank_of_pid;
  std::map<std::string, std::vector<std::string>> open;  // by pid
  while (std::getline(in, line)) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), ',') << line;
    line.pop_back();
    const auto event = nlohmann::json::parse(line);
    const std::string pid = event.at("pid").dump();
    if (event.at("ph") == "M" && event.value("name", "") == "process_name") {
      const std::string name = event.at("args").at("name");
      rank_of_pid[pid] = std::stoi(name.substr(name.find(' ') + 1));
    } else if (event.at("ph") == "B") {
      open[pid].push_back(event.at("name"));
    } else if (event.at("ph") == "E") {
      ASSERT_FALSE(open[pid].empty()) << line;
      open[pid].pop_back();
    }
  }
  ASSERT_EQ(rank_of_pid.size(), 2u) << "a name for each rank's track";
  for (const auto& [pid, rank] : rank_of_pid) {
    if (rank == 1) {
      EXPECT_EQ(open[pid], std::vector<std::string>{"chunk"});
    }
  }
}

TEST_F(Ch08Program, HelpNamesTheVariantsAndTheRunScript) {
  const auto r = run_script({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.how();
  for (const char* text :
       {"reduce", "send_recv", "mpirun -n K", "--kill-rank", "--check-only"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

}  // namespace
