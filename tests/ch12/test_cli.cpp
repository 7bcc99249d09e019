// Chapter 12's executable, started as a reader starts it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <regex>

#include "bad_input.hpp"
#include "leak_check.hpp"
#include "output.hpp"
#include "runner.hpp"
#include "sanitizers.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;

constexpr const char* kProgram = "ch12_atomics";
using ptut::testing::kSanitized;

class Ch12Program : public ptut::testing::NoLeaks {};

TEST_F(Ch12Program, DefaultsShowEveryThreadsStepsAnd210) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.out_lines();
  EXPECT_EQ(lines.front(), "Chapter 12: atomics in depth: statistical, 2 threads");
  const std::regex step(R"(  thread ([12]): i = +\d+, counter = +\d+)");
  EXPECT_EQ(ptut::testing::step_counts(lines, step),
            (std::map<int, int>{{1, 10}, {2, 10}}));
  EXPECT_EQ(
      lines.back().rfind(
          "statistical, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0),
      0u)
      << lines.back();
}

TEST_F(Ch12Program, EveryVariantIsExactAndReportsItsOwnFacts) {
  const std::map<std::string, std::vector<std::string>> keys = {
      {"statistical", {"reads", "last_read", "ns_per_read"}},
      {"shared_atomic", {}},
      {"limit", {"batches"}},
      {"mutex", {"acquisitions", "longest_wait", "handoffs"}},
      {"tas", {"acquisitions", "longest_wait", "handoffs"}},
      {"ttas", {"acquisitions", "longest_wait", "handoffs"}},
      {"ticket", {"acquisitions", "longest_wait", "handoffs"}},
      {"waiting", {"acquisitions", "longest_wait", "handoffs"}},
      {"barrier", {"phase_totals"}},
      {"semaphore", {"permits", "most_running"}}};
  for (const auto& [variant, own] : keys) {
    // The reader reads at the start; two threads, for the ticket lock's sake (see
    // test_atomics.cpp).
    const auto r = run_chapter(
        kProgram, {"--n", "200000", "--variant", variant, "--workers", "2", "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["correct"], true) << variant;
    EXPECT_EQ(json["sum"], "20000100000") << variant;
    for (const std::string& key : own) EXPECT_TRUE(json.contains(key)) << variant << key;
  }
}

TEST_F(Ch12Program, HelpExplainsEveryVariantAndOption) {
  const auto r = run_chapter(kProgram, {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"statistical", "shared_atomic", "limit", "mutex", "tas",
                           "ttas", "ticket", "waiting", "barrier", "semaphore", "--fault",
                           "--read-every", "--batch", "--phases", "--permits"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

TEST_F(Ch12Program, AThrowingThreadIsNamedAndTheRunFails) {
  const auto r = run_chapter(kProgram, {"--variant", "barrier", "--n", "2000000",
                                        "--workers", "3", "--fault", "2:throw"});
  EXPECT_EQ(r.exit_code, 1) << r.how();
  EXPECT_EQ(
      r.err.rfind("ch12_atomics: thread 2 threw: injected fault: gave up at element ", 0),
      0u)
      << r.err;
  EXPECT_EQ(r.err_lines().size(), 1u) << r.err;
}

TEST_F(Ch12Program, IsExactAtTheLargestN) {
  if (kSanitized) {
    GTEST_SKIP() << "6·10^9 elements take minutes under a sanitizer; the arithmetic "
                    "is the default build's";
  }
  // The phased and the limit counter's arithmetic at the edge of 64 bits; the
  // per-element variants share the chunks and the 64-bit total with them.
  for (const char* variant : {"barrier", "limit"}) {
    const auto r = run_chapter(kProgram, {"--n", "6074000999", "--variant", variant,
                                          "--workers", "8", "--work", "0", "--json"});
    ASSERT_EQ(r.exit_code, 0) << variant << ": " << r.how() << "\n" << r.err;
    const auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["sum"], "18446744070963499500") << variant;
    EXPECT_EQ(json["correct"], true) << variant;
  }
}

class Ch12BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch12BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, kProgram, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch12BadInput,
    ::testing::Values(
        BadInput{
            "n_sum_overflows", {"--n", "6074001000"}, "--n: 6074001000 is too large"},
        BadInput{"workers_zero", {"--workers", "0"}, "--workers: 0 is too small"},
        BadInput{"variant_unknown",
                 {"--variant", "lockfree"},
                 "--variant: unknown variant 'lockfree'; choose one of statistical, "
                 "shared_atomic, limit, mutex, tas, ttas, ticket, "
                 "waiting, barrier, "
                 "semaphore"},
        BadInput{"fault_worker",
                 {"--fault", "3:throw"},
                 "--fault: there is no worker 3; expected 1 to 2"},
        BadInput{"batch_zero", {"--batch", "0"}, "--batch: 0 is too small"},
        BadInput{"phases_too_many", {"--phases", "1001"}, "--phases: 1001 is too large"},
        BadInput{"read_every_word", {"--read-every", "often"}, "--read-every: "},
        BadInput{"ticket_more_threads_than_cores",
                 {"--variant", "ticket", "--workers", "256"},
                 "threads on "},
        BadInput{"permits_above_workers",
                 {"--permits", "3"},
                 "--permits: 3 permits for 2 threads; at most --workers"}),
    ptut::testing::bad_input_name);

// --- --trace: a track per thread; locks as a bounded sample of waits and holds.

TEST_F(Ch12Program, ATracedLockRunSamplesTheFirstTurnsOfEachThread) {
  const ptut::testing::TraceFile trace;
  const auto traced = ptut::testing::run_chapter_json(
      kProgram, {"--variant", "mutex", "--n", "4000", "--trace", trace.path});
  EXPECT_EQ(traced["sum"], "8002000");
  ASSERT_EQ(ptut::testing::trace_problems(trace.path), std::vector<std::string>{});
  const auto read = ptut::testing::read_trace(trace.path);
  for (const char* name : {"thread 1", "thread 2"}) {
    const auto* thread = read.track(name);
    ASSERT_NE(thread, nullptr) << name;
    EXPECT_EQ(thread->named("chunk").size(), 1u) << name;
    // 2000 turns each, the first 200 traced: bounded, whatever N is
    EXPECT_EQ(thread->named("hold lock").size(), 200u) << name;
    EXPECT_EQ(thread->named("wait for lock").size(), 200u) << name;
  }
  ptut::testing::expect_never_two_at_once(read,
                                          "hold lock");  // a lock: one holder at a time
}

TEST_F(Ch12Program, ATracedBarrierRunShowsEachPhaseAndTheSameSum) {
  const ptut::testing::TraceFile trace;
  const std::vector<std::string> args = {"--variant", "barrier", "--n",       "2000000",
                                         "--phases",  "4",       "--workers", "2"};
  auto with_trace = args;
  with_trace.insert(with_trace.end(), {"--trace", trace.path});
  const auto traced = ptut::testing::run_chapter_json(kProgram, with_trace);
  const auto untraced = ptut::testing::run_chapter_json(kProgram, args);
  EXPECT_EQ(traced["sum"], untraced["sum"]);
  EXPECT_EQ(traced["phase_totals"], untraced["phase_totals"]);
  ASSERT_EQ(ptut::testing::trace_problems(trace.path), std::vector<std::string>{});
  const auto read = ptut::testing::read_trace(trace.path);
  for (const char* name : {"thread 1", "thread 2"}) {
    const auto* thread = read.track(name);
    ASSERT_NE(thread, nullptr) << name;
    EXPECT_EQ(thread->named("start-up").size(), 1u) << name;
    EXPECT_EQ(thread->named("chunk").size(), 4u) << name;
    EXPECT_EQ(thread->named("barrier").size(), 4u) << name;
  }
}

}  // namespace
