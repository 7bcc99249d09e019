// Chapter 5's approach, called as a library: the workers are forked from the
// test process, whose queues, children and descriptors the leak check inspects.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include <boost/interprocess/anonymous_shared_memory.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>

#include "grid.hpp"
#include "leak_check.hpp"
#include "message_queues.hpp"
#include "oracle.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace {

using ptut::testing::expected_sum;

ch05::Config config(const std::string& variant, std::uint64_t n, unsigned workers,
                    std::uint64_t chunk = 0) {
  ch05::Config c;
  c.options.variant = variant;
  c.options.n = n;
  c.options.workers = workers;
  c.chunk = chunk;
  return c;
}

class ExactVariant : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<ptut::testing::VariantCase> {};

TEST_P(ExactVariant, EqualsTheClosedForm) {
  const auto& [variant, c] = GetParam();
  ch05::Config run_config = config(variant, c.n, c.workers);
  run_config.options.work = c.work;
  const ptut::RunResult result = ch05::run(run_config);
  EXPECT_EQ(result.sum, expected_sum(c.n));
}

INSTANTIATE_TEST_SUITE_P(Grid, ExactVariant,
                         ::testing::ValuesIn(ptut::testing::variant_grid({"dynamic",
                                                                          "static"})),
                         ptut::testing::variant_case_name);

struct ChunkCase {
  std::uint64_t chunk;
  unsigned workers;
  unsigned skew;
  friend void PrintTo(const ChunkCase& c, std::ostream* out) {
    *out << "chunk " << c.chunk << ", " << c.workers << " workers, skew " << c.skew;
  }
};

class Ch05Chunks : public ptut::testing::NoLeaks,
                   public ::testing::WithParamInterface<ChunkCase> {};

TEST_P(Ch05Chunks, EveryChunkSizeCoversTheRangeOnce) {
  constexpr std::uint64_t n = 1000;
  ch05::Config c = config("dynamic", n, GetParam().workers, GetParam().chunk);
  c.skew = GetParam().skew;
  const ch05::QueueFacts result = ch05::run(c);
  EXPECT_EQ(result.sum, expected_sum(n));
  const std::uint64_t chunks = (n + GetParam().chunk - 1) / GetParam().chunk;
  EXPECT_EQ(result.chunks, chunks);
  std::uint64_t taken = 0;
  for (const std::uint64_t count : result.chunks_by_worker) taken += count;
  EXPECT_EQ(taken, chunks);
}

INSTANTIATE_TEST_SUITE_P(Sizes, Ch05Chunks,
                         ::testing::Values(ChunkCase{1, 1, 0}, ChunkCase{1, 3, 0},
                                           ChunkCase{7, 2, 0}, ChunkCase{7, 8, 16},
                                           ChunkCase{999, 2, 0}, ChunkCase{1000, 3, 0},
                                           ChunkCase{5000, 2, 4}),
                         [](const ::testing::TestParamInfo<ChunkCase>& chunk_info) {
                           return "chunk" + std::to_string(chunk_info.param.chunk) +
                                  "_k" + std::to_string(chunk_info.param.workers) +
                                  "_skew" + std::to_string(chunk_info.param.skew);
                         });

TEST(Ch05Skew, AddsTheSameElementsWhateverTheSkew) {
  for (std::uint64_t n : {1ULL, 20ULL, 1000ULL, 99'991ULL}) {
    for (unsigned skew : {0U, 1U, 7U, 64U}) {
      std::uint64_t total = 0;
      for (const ptut::Chunk& chunk : ptut::split_range(n, 3))
        total += ptut::sum_skewed(chunk, 1, skew, n);
      EXPECT_EQ(total, expected_sum(n)) << "n=" << n << " skew=" << skew;
    }
  }
}

TEST(Ch05Chunks, TheDefaultMakesAboutEightChunksPerWorker) {
  EXPECT_EQ(ptut::default_chunk(20, 2), 2u);
  EXPECT_EQ(ptut::default_chunk(2'000'000, 2), 125'000u);
  EXPECT_EQ(ptut::default_chunk(1, 8), 1u);
  EXPECT_EQ(ptut::default_chunk(0, 2), 1u);
}

class Ch05 : public ptut::testing::NoLeaks {};

TEST_F(Ch05, AFullTaskQueueMakesTheProducerWaitWithoutDeadlock) {
  // 200 one-element tasks for two workers that take 2 ms each: the four-slot
  // task queue fills at once, and stays full until the end.
  ch05::Config c = config("dynamic", 200, 2, 1);
  c.show_steps = true;
  const ch05::QueueFacts result = ch05::run(c);
  EXPECT_EQ(result.sum, expected_sum(200));
  EXPECT_GT(result.task_queue_full, 0u) << nlohmann::json(result).dump();
}

TEST_F(Ch05, ManyWorkersAndSkewedWorkAddUp) {
  ch05::Config c = config("static", 20'000, 5);
  c.skew = 64;
  EXPECT_EQ(ch05::run(c).sum, expected_sum(20'000));
  c = config("dynamic", 20'000, 256, 10);
  EXPECT_EQ(ch05::run(c).sum, expected_sum(20'000));
}

TEST(Ch05Lock, ALockHeldByADeadProcessThrowsInsteadOfHanging) {
  // What protects the parent when a worker dies inside a queue operation: the
  // project-wide BOOST_INTERPROCESS_ENABLE_TIMEOUT_WHEN_LOCKING (common/).
  namespace bip = boost::interprocess;
  bip::mapped_region region =
      bip::anonymous_shared_memory(sizeof(bip::interprocess_mutex));
  auto* mutex = new (region.get_address()) bip::interprocess_mutex;
  const pid_t holder = fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    mutex->lock();
    _exit(0);  // dies holding it
  }
  ASSERT_EQ(waitpid(holder, nullptr, 0), holder);
  const ptut::Stopwatch stopwatch;
  EXPECT_THROW(mutex->lock(), bip::interprocess_exception);
  EXPECT_LT(stopwatch.seconds(), 5.0);
}

TEST_F(Ch05, ALockFailureNamesTheWorkerThatDiedNotTheOnesStoppedAfterIt) {
  // Worker 2 has died (as a worker killed inside send, holding the queue's lock,
  // would) and worker 1 is still busy when the parent's lock() gives up. The
  // parent then kills worker 1 with SIGKILL too: the report must name worker 2.
  ptut::ChildProcesses children;
  children.start(1, []() -> int {
    for (;;) pause();
  });
  const pid_t holder = children.start(2, []() -> int {
    raise(SIGKILL);
    return 0;
  });
  siginfo_t info{};
  // dead, not yet reaped
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(holder), &info, WEXITED | WNOWAIT), 0);
  const ptut::RunFailed failure =
      ch05::lock_failure(children, "Interprocess mutex timeout when locking");
  EXPECT_TRUE(std::regex_match(
      failure.what(),
      std::regex(R"(worker 2 \(pid \d+\) was killed by SIGKILL, holding a )"
                 R"(queue's lock \(Interprocess mutex timeout when locking\))")))
      << failure.what();
  EXPECT_EQ(children.running(), 0u);
}

TEST_F(Ch05, StaticGivesEachWorkerOneChunk) {
  const ch05::QueueFacts result = ch05::run(config("static", 20, 3));
  EXPECT_EQ(result.chunks_by_worker, (std::vector<std::uint64_t>{1, 1, 1}));
}

TEST_F(Ch05, StaleQueuesOfDeadRunsAreRemoved) {
  const pid_t dead = fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) _exit(0);
  ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
  const std::filesystem::path stale =
      "/dev/shm/" + ptut::ipc_name("ch05", dead, "tasks_fixture");
  std::ofstream(stale) << "left by a run killed with SIGKILL";
  const ch05::QueueFacts result = ch05::run(config("dynamic", 20, 2));
  EXPECT_FALSE(std::filesystem::exists(stale));
  // Another test's dead leftovers may be removed in the same run: look for ours.
  const std::vector<std::string>& removed = result.removed;
  EXPECT_NE(std::find(removed.begin(), removed.end(), stale.filename().string()),
            removed.end())
      << nlohmann::json(removed).dump();
}

struct FaultCase {
  ch05::FaultKind kind;
  const char* variant;
  const char* says;
  friend void PrintTo(const FaultCase& c, std::ostream* out) { *out << c.variant; }
};

class Ch05Fault : public ptut::testing::NoLeaks,
                  public ::testing::WithParamInterface<FaultCase> {};

TEST_P(Ch05Fault, AWorkerThatDiesHoldingATaskIsNamedAndNothingIsLeft) {
  ch05::Config c = config(GetParam().variant, 2'000'000'000, 3);
  c.options.work = 1;  // the healthy workers are still busy when the faulty one dies
  c.fault = {2, GetParam().kind};
  const ptut::Stopwatch stopwatch;
  try {
    (void)ch05::run(c);
    FAIL() << "the run did not fail";
  } catch (const ptut::RunFailed& failure) {
    EXPECT_TRUE(std::regex_match(failure.what(), std::regex(GetParam().says)))
        << failure.what();
  }
  EXPECT_LT(stopwatch.seconds(), 2.0);
  for (const char* which : {"tasks", "results"}) {
    EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + ch05::queue_name(getpid(), which)))
        << which;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, Ch05Fault,
    ::testing::Values(FaultCase{ch05::FaultKind::kill, "dynamic",
                                R"(worker 2 \(pid \d+\) was killed by SIGKILL)"},
                      FaultCase{ch05::FaultKind::kill, "static",
                                R"(worker 2 \(pid \d+\) was killed by SIGKILL)"},
                      FaultCase{ch05::FaultKind::exit, "dynamic",
                                R"(worker 2 \(pid \d+\) exited with status 3)"},
                      FaultCase{ch05::FaultKind::exit, "static",
                                R"(worker 2 \(pid \d+\) exited with status 3)"}),
    [](const ::testing::TestParamInfo<FaultCase>& fault_info) {
      return std::string(fault_info.param.kind == ch05::FaultKind::kill ? "kill_"
                                                                        : "exit_") +
             fault_info.param.variant;
    });

}  // namespace
