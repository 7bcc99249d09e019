// Chapter 8 across hosts: chapters/08_mpi/across_hosts makes network-namespace
// hosts on this machine, runs the job across them and removes them. Where the
// machine cannot make them (not root, no iproute2) every test here is skipped,
// with the script's reason, rather than passed.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "hurt.hpp"
#include "leak_check.hpp"
#include "mpi_support.hpp"
#include "ptut/range.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::ProcessResult;
using namespace std::chrono_literals;

// across_hosts's status when it cannot make the hosts
constexpr int kCannotMakeHosts = 77;

/// The namespaces the script names ptut8-…, as `ip netns list` shows them now.
std::string test_namespaces() {
  std::unique_ptr<FILE, int (*)(FILE*)> list(
      popen("ip netns list 2>/dev/null | grep '^ptut8-'", "r"), pclose);
  std::string names;
  if (!list) return "(ip netns list failed)";
  for (int c; (c = std::fgetc(list.get())) != EOF;) names += static_cast<char>(c);
  return names;
}

class multi_host : public ptut::testing::NoLeaks {
 protected:
  void SetUp() override {
    NoLeaks::SetUp();
    ptut::testing::use_this_build_of_chapter_8();
  }
  /// Runs the script; skips the test, naming the reason, where it cannot make hosts.
  ProcessResult across(const std::vector<std::string>& args) {
    ProcessResult r = ptut::testing::run_program(PTUT_CH08_ACROSS_HOSTS, args, 100s);
    if (r.exit_code == kCannotMakeHosts) {
      skipped_ = true;
      reason_ = r.err;
    }
    return r;
  }
  void TearDown() override {
    EXPECT_EQ(test_namespaces(), "") << "the script left its namespaces behind";
    ptut::testing::reap_ended_mpi_processes();
    NoLeaks::TearDown();
  }
  bool skipped_ = false;
  std::string reason_;
};

/// Sends a signal to the script once its job has run a while (set-up takes well
/// under a second), to the script alone or to its whole group as Ctrl-C does.
struct SignalOnceTheJobRuns {
  int signal;
  bool whole_group;
  bool sent = false;
  ptut::Stopwatch since_start{};
  void operator()(pid_t script, const std::string&) {
    if (sent || since_start.seconds() < 2.0) return;
    kill(whole_group ? -script : script, signal);
    sent = true;
  }
};

#define SKIP_IF_NO_HOSTS()                 \
  do {                                     \
    if (skipped_) GTEST_SKIP() << reason_; \
  } while (false)

TEST_F(multi_host, ThreeHostsSumExactlyWithEitherVariant) {
  for (const char* variant : {"reduce", "send_recv"}) {
    const auto r =
        across({"--hosts", "3", "--", "--variant", variant, "--n", "2000000", "--json"});
    SKIP_IF_NO_HOSTS();
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.out << r.err;
    const std::string json_line = r.out_lines().back();  // after the script's steps
    const auto json = nlohmann::json::parse(json_line);
    EXPECT_EQ(json["sum"], "2000001000000") << variant;
    EXPECT_EQ(json["correct"], true);
    ASSERT_EQ(json["ranks"].size(), 3u);
    const auto chunks = ptut::split_range(2'000'000, 3);
    for (unsigned rank = 0; rank < 3; ++rank) {
      EXPECT_EQ(json["ranks"][rank]["host"], "ptut8-h" + std::to_string(rank + 1))
          << "one rank per host";
      EXPECT_EQ(json["ranks"][rank]["partial"],
                std::to_string(ptut::closed_form(chunks[rank])));
    }
  }
}

TEST_F(multi_host, RanksPinnedByEachHostStillSumExactly) {
  // --bind-to core: each host's daemon pins its rank as if it owned the machine
  // (to the same core here); slower, as the page measures, but still exact.
  const auto r =
      across({"--hosts", "2", "--bind-to", "core", "--", "--n", "2000000", "--json"});
  SKIP_IF_NO_HOSTS();
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  EXPECT_NE(r.err.find("--bind-to core"), std::string::npos)
      << "the job shown must be the one run:\n"
      << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out_lines().back())["correct"], true);
}

TEST_F(multi_host, TwoRanksOnEachOfTwoHostsShowTheirStepsAndHosts) {
  const auto r = across({"--hosts", "2", "--ranks-per-host", "2", "--", "--n", "20"});
  SKIP_IF_NO_HOSTS();
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  for (const char* line :
       {"  rank 0 on ptut8-h1: i =  1,", "  rank 1 on ptut8-h1: i =  6,",
        "  rank 2 on ptut8-h2: i = 11,", "  rank 3 on ptut8-h2: i = 16,",
        "reduce, 4 workers: 1 + 2 + … + 20 = 210 (expected 210: correct)"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " in:\n" << r.out;
  }
}

TEST_F(multi_host, ARankKilledOnAnotherHostEndsTheJobWithinSeconds) {
  const auto r = across(
      {"--hosts", "2", "--", "--kill-rank", "1", "--n", "6000000000", "--work", "16"});
  SKIP_IF_NO_HOSTS();
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.how() << "\n" << r.err;
  EXPECT_LT(r.seconds, 20.0) << "set-up, the job and clean-up together";
  EXPECT_NE(r.err.find("process rank 1 with PID"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("on node 10.8.0.2 exited on signal 9 (Killed)"), std::string::npos)
      << r.err;
}

// Ctrl-C in a terminal: the job stops at once, not when its --timeout runs out,
// and the hosts go with it.
TEST_F(multi_host, CtrlCStopsTheJobAtOnceAndRemovesTheHosts) {
  SignalOnceTheJobRuns interrupter{SIGINT, /*whole_group=*/true};
  const auto r = ptut::testing::run_program(
      PTUT_CH08_ACROSS_HOSTS,
      {"--timeout", "60", "--", "--n", "6000000000", "--work", "16"}, 100s,
      std::ref(interrupter));
  if (r.exit_code == kCannotMakeHosts) GTEST_SKIP() << r.err;
  ASSERT_TRUE(interrupter.sent) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.exit_code, 130) << r.how() << "\n" << r.err;
  EXPECT_LT(r.seconds, 15.0) << "the job must stop at Ctrl-C, not at its 60 s timeout";
}

// A run killed before it could clean up leaves its hosts; the next run removes
// them and works.
TEST_F(multi_host, ARunKilledOutrightIsCleanedUpByTheNext) {
  // The script alone: its job is orphaned, and keeps the script's output open until
  // it ends. Its own timeout (a process of its own, which the kill leaves alive)
  // ends it 5 s after it started, long after the kill at 2 s: the test waits that,
  // not the 20 s and more the whole sum would take.
  SignalOnceTheJobRuns killer{SIGKILL, /*whole_group=*/false};
  const auto killed = ptut::testing::run_program(
      PTUT_CH08_ACROSS_HOSTS,
      {"--timeout", "5", "--", "--n", "6000000000", "--work", "16"}, 100s,
      std::ref(killer));
  if (killed.exit_code == kCannotMakeHosts) GTEST_SKIP() << killed.err;
  ASSERT_TRUE(killer.sent) << killed.how();
  EXPECT_NE(test_namespaces(), "") << "SIGKILL leaves no chance to clean up";
  const auto next = across({"--", "--n", "2000000", "--json"});
  SKIP_IF_NO_HOSTS();
  ASSERT_EQ(next.exit_code, 0) << next.how() << "\n" << next.err;
  EXPECT_EQ(nlohmann::json::parse(next.out_lines().back())["sum"], "2000001000000");
  for (const auto& entry : std::filesystem::directory_iterator("/tmp")) {
    EXPECT_NE(entry.path().filename().string().rfind("ptut8-hosts.", 0), 0u)
        << entry.path() << " was left behind";
  }
}

// The skip itself: the same script run by an ordinary user says why it cannot
// make hosts, with the status that tells CTest "skipped", not "passed".
TEST_F(multi_host, AnOrdinaryUserIsToldWhyTheHostsCannotBeMade) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root, to run the script as another user";
  const auto r =
      ptut::testing::run_program("/usr/bin/setpriv",
                                 {"--reuid=65534", "--regid=65534", "--clear-groups",
                                  PTUT_CH08_ACROSS_HOSTS, "--", "--n", "20"},
                                 60s);
  if (r.exit_code == 126 || r.exit_code == 127)
    GTEST_SKIP() << "the checkout is not readable by uid 65534: " << r.err;
  EXPECT_EQ(r.exit_code, kCannotMakeHosts) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err,
            "across_hosts: skipped: creating network namespaces needs root (this is uid "
            "65534)\n");
}

TEST_F(multi_host, BadInputIsRefusedBeforeAnyHostIsMade) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--hosts", "1"},
                                                                {"--hosts", "9"},
                                                                {"--speed"},
                                                                {"--bind-to", "socket"},
                                                                {"--", "--n", "-1"}}) {
    const auto r = across(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.how() << "\n" << r.err;
    EXPECT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
