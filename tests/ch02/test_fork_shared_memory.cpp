// Chapter 2's approach, called as a library: the workers are forked from the
// test process itself, which the leak check then inspects.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fork_shared_memory.hpp"
#include "grid.hpp"
#include "leak_check.hpp"
#include "oracle.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/machine.hpp"
#include "ptut/timing.hpp"
#include "sanitizers.hpp"

namespace {

using ptut::testing::expected_sum;

ch02::Config config(const std::string& variant, std::uint64_t n, unsigned workers,
                    ch02::Memory memory = ch02::Memory::anonymous) {
  ch02::Config c;
  c.options.variant = variant;
  c.options.n = n;
  c.options.workers = workers;
  c.memory = memory;
  return c;
}

class ExactVariant : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<ptut::testing::VariantCase> {};

TEST_P(ExactVariant, EqualsTheClosedForm) {
  const auto& [variant, c] = GetParam();
  for (ch02::Memory memory : {ch02::Memory::anonymous, ch02::Memory::named}) {
    ch02::Config run_config = config(variant, c.n, c.workers, memory);
    run_config.options.work = c.work;
    const ptut::RunResult result = ch02::run(run_config);
    EXPECT_EQ(result.sum, expected_sum(c.n))
        << (memory == ch02::Memory::named ? "named" : "anonymous");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Grid, ExactVariant,
    ::testing::ValuesIn(ptut::testing::variant_grid({"locked", "atomic", "partials"})),
    ptut::testing::variant_case_name);

class Ch02 : public ptut::testing::NoLeaks {};

TEST_F(Ch02, ThePlainLockIsExactToo) {
  // The same grid of N and workers as the variants above, with the pthread mutex
  // locked without a time limit (--lock plain).
  for (const auto& [variant, c] : ptut::testing::variant_grid({"locked"})) {
    ch02::Config run_config = config(variant, c.n, c.workers);
    run_config.options.work = c.work;
    run_config.lock = ch02::Lock::plain;
    const ch02::ForkFacts result = ch02::run(run_config);
    EXPECT_EQ(result.sum, expected_sum(c.n))
        << "N = " << c.n << ", " << c.workers << " workers";
    EXPECT_EQ(result.lock, ch02::Lock::plain);
    EXPECT_EQ(nlohmann::json(result)["lock"], "plain");
  }
}

TEST_F(Ch02, PartialsReportEachWorkersSlot) {
  const ch02::ForkFacts result = ch02::run(config("partials", 20, 2));
  EXPECT_EQ(result.partials, (std::vector<std::uint64_t>{55, 155}));
  // In the JSON, as decimal strings: exact in 64 bits.
  EXPECT_EQ(nlohmann::json(result)["partials"], nlohmann::json::array({"55", "155"}));
}

unsigned usable_cores() {
  return ptut::describe_machine().usable_cores;
}

TEST_F(Ch02, RacyLosesUpdatesWithTwoWorkers) {
  if (usable_cores() < 2)
    GTEST_SKIP() << "one core: the workers never run at the same time";
  const std::uint64_t smallest = ptut::testing::smallest_sum(
      std::chrono::seconds(20), 2'000'000,
      [] { return ch02::run(config("racy", 2'000'000, 2)).sum; });
  EXPECT_LT(smallest, expected_sum(2'000'000))
      << "racy runs for 20 seconds lost no update";
}

TEST_F(Ch02, RacyWithOneWorkerHasNobodyToRaceWith) {
  EXPECT_EQ(ch02::run(config("racy", 2'000'000, 1)).sum, expected_sum(2'000'000));
}

TEST_F(Ch02, StaleSegmentsOfDeadRunsAreRemoved) {
  const pid_t dead = fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) _exit(0);
  ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
  const std::filesystem::path stale =
      "/dev/shm/" + ptut::ipc_name("ch02", dead, "segment_fixture");
  std::ofstream(stale) << "left by a run killed with SIGKILL";
  (void)ch02::run(config("partials", 20, 2, ch02::Memory::named));
  EXPECT_FALSE(std::filesystem::exists(stale));
}

TEST_F(Ch02, SegmentsOfLiveRunsAreKept) {
  const std::filesystem::path live =
      "/dev/shm/" + ptut::ipc_name("ch02", getppid(), "segment_fixture");
  std::ofstream(live) << "another run, still going";
  (void)ch02::run(config("partials", 20, 2, ch02::Memory::named));
  EXPECT_TRUE(std::filesystem::exists(live));
  std::filesystem::remove(live);
}

struct FaultCase {
  ch02::FaultKind kind;
  const char* variant;
  const char* says;
};

class Ch02Fault : public ptut::testing::NoLeaks,
                  public ::testing::WithParamInterface<FaultCase> {};

TEST_P(Ch02Fault, IsReportedWithWorkerAndHowWithinTwoSecondsAndNothingIsLeft) {
  // Under ThreadSanitizer a worker's exit itself can take a few hundred milliseconds
  // on a busy machine: the worker waiting behind it must not be called hung first.
  // Each locked addition is also many times slower there, and in the asan preset
  // (clang at -O0, every access checked: three workers taking turns at the lock
  // reported no progress for 0.3 s), so a smaller N brings the faulty worker to its
  // halfway point as soon as a plain build does at 2,000,000.
#if defined(PTUT_TSAN) || defined(PTUT_ASAN)
  const std::uint64_t n = 500'000;
  const double hang_timeout = 0.7;
#else
  const std::uint64_t n = 2'000'000;
  const double hang_timeout = 0.3;
#endif
  ch02::Config c = config(GetParam().variant, n, 3, ch02::Memory::named);
  c.fault = {2, GetParam().kind};
  c.hang_timeout = hang_timeout;
  const ptut::Stopwatch stopwatch;
  try {
    (void)ch02::run(c);
    FAIL() << "the run did not fail";
  } catch (const ch02::RunFailed& failure) {
    EXPECT_NE(std::string(failure.what()).find(GetParam().says), std::string::npos)
        << failure.what();
    EXPECT_EQ(failure.signal(), 0);
  }
  EXPECT_LT(stopwatch.seconds(), 2.0)
      << "a fault must end the run within 2 s (a hang: hang_timeout, then the stop)";
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + ch02::segment_name(getpid())));
}

std::string fault_case_name(const ::testing::TestParamInfo<FaultCase>& info) {
  static const char* const kinds[] = {"none", "exit", "abort", "hang"};
  return std::string(kinds[static_cast<int>(info.param.kind)]) + "_" + info.param.variant;
}

INSTANTIATE_TEST_SUITE_P(
    Faults, Ch02Fault,
    ::testing::Values(
        FaultCase{ch02::FaultKind::exit, "partials", "worker 2 (pid "},
        FaultCase{ch02::FaultKind::exit, "locked", ") exited with status 3"},
        FaultCase{ch02::FaultKind::abort, "atomic", ") was killed by SIGABRT"},
        FaultCase{ch02::FaultKind::hang, "racy", ") made no progress for "},
        FaultCase{ch02::FaultKind::hang, "locked", "and was stopped as hung"}),
    fault_case_name);

TEST_F(Ch02, AFaultyWorkerWithAnEmptyChunkStillFails) {
  for (ch02::FaultKind kind : {ch02::FaultKind::exit, ch02::FaultKind::hang}) {
    for (std::uint64_t n : {0ULL, 1ULL}) {
      ch02::Config c = config("partials", n, 3);
      c.fault = {3, kind};
      c.hang_timeout = 0.3;
      EXPECT_THROW((void)ch02::run(c), ch02::RunFailed) << "n=" << n;
    }
  }
}

TEST_F(Ch02, ALeftoverCarryingOurOwnPidIsStale) {
  // A dead run's PID can come back: its segment then carries ours.
  const std::filesystem::path leftover = "/dev/shm/" + ch02::segment_name(getpid());
  std::ofstream(leftover) << "left by an earlier process with this PID";
  const ch02::ForkFacts result =
      ch02::run(config("partials", 20, 2, ch02::Memory::named));
  EXPECT_EQ(result.sum, 210u);
  EXPECT_EQ(result.removed, std::vector<std::string>{ch02::segment_name(getpid())});
  EXPECT_FALSE(std::filesystem::exists(leftover));
}

}  // namespace
