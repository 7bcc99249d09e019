// Chapter 10's library, called in-process: the plan covers 1..N once, every
// variant is exact for every chunk size, a failing task is reported with what the
// others did, and no thread or descriptor outlives a run.
#include <dirent.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "leak_check.hpp"
#include "oracle.hpp"
#include "tasks.hpp"
#include "sanitizers.hpp"

namespace {

#if defined(PTUT_TSAN)
// oneTBB's library is not instrumented: ThreadSanitizer cannot see what its
// queues order, and reports races that are not there (see chapter 9's tests).
constexpr bool kThreadSanitizer = true;
// A thread costs TSan far more than it costs a plain build: fewer at once.
constexpr std::uint64_t kMostTasks = 200;
#else
constexpr bool kThreadSanitizer = false;
constexpr std::uint64_t kMostTasks = 2000;
#endif

const std::vector<std::string> kVariants = {"pool", "async", "packaged", "stealing",
                                            "static"};

// Entries of a /proc/self folder: the threads (task/) or descriptors (fd/) of
// this process.
std::size_t entries(const char* folder) {
  std::size_t count = 0;
  if (DIR* dir = opendir(folder)) {
    while (const dirent* entry = readdir(dir)) count += entry->d_name[0] != '.';
    closedir(dir);
  }
  return count;
}

ch10::Config config_for(const std::string& variant, std::uint64_t n, unsigned workers,
                        std::uint64_t chunk = 0) {
  ch10::Config config;
  config.options.variant = variant;
  config.options.n = n;
  config.options.workers = workers;
  config.chunk = chunk;
  return config;
}

TEST(Ch10Plan, CoversOneToNOnceInOrder) {
  for (const std::uint64_t n : std::vector<std::uint64_t>{0, 1, 2, 20, 1000, 1001}) {
    for (const std::uint64_t size :
         std::vector<std::uint64_t>{1, 7, n, n + 1, 3 * n + 5}) {
      if (size == 0) continue;
      SCOPED_TRACE("n=" + std::to_string(n) + " size=" + std::to_string(size));
      const ch10::Plan plan = ch10::Plan::chunks_of(n, size);
      std::uint64_t next = 1;
      for (std::uint64_t t = 1; t <= plan.count(); ++t) {
        const ptut::Chunk chunk = plan.task(t);
        EXPECT_EQ(chunk.first, next);
        EXPECT_LE(chunk.size(), size);
        EXPECT_LE(chunk.size(), plan.size());
        next = chunk.last;
      }
      EXPECT_EQ(next, n + 1);
      EXPECT_EQ(plan.count(), n == 0 ? 1 : (n + size - 1) / size);
    }
  }
}

TEST(Ch10Plan, StaticIsOneTaskPerWorker) {
  const ch10::Plan plan = ch10::Plan::one_per_worker(20, 3);
  ASSERT_EQ(plan.count(), 3u);
  EXPECT_EQ(plan.task(1), (ptut::Chunk{1, 8}));
  EXPECT_EQ(plan.task(3), (ptut::Chunk{15, 21}));
  EXPECT_EQ(plan.size(), 7u);
  EXPECT_EQ(ch10::plan_of(config_for("static", 20, 3)).count(), 3u);
  EXPECT_EQ(ch10::plan_of(config_for("pool", 20, 3)).count(), 20u);  // chunks of 1
  EXPECT_EQ(ch10::plan_of(config_for("pool", 2'000'000, 2)).count(), 16u);
}

class Ch10Run : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (kThreadSanitizer && GetParam() == "stealing") GTEST_SKIP() << "oneTBB under TSan";
    // A sanitizer starts a thread of its own when the process starts its first
    // (TSan's background thread): start one first, so that it is counted before.
    std::thread([] {}).join();
    threads_before_ = entries("/proc/self/task");
    fds_before_ = entries("/proc/self/fd");
  }
  // Every run joins its threads and closes what it opened before it returns.
  void TearDown() override {
    if (IsSkipped()) return;
    // A joined thread can still be listed for a moment: join() returns when the
    // kernel clears the thread's id, a little before it removes the thread.
    for (int wait = 0; wait < 1000 && entries("/proc/self/task") > threads_before_;
         ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(entries("/proc/self/task"), threads_before_) << "a thread outlived the run";
    EXPECT_EQ(entries("/proc/self/fd"), fds_before_) << "a descriptor outlived the run";
  }
  std::size_t threads_before_ = 0;
  std::size_t fds_before_ = 0;
};

TEST_P(Ch10Run, IsExactForEveryChunkSize) {
  for (const std::uint64_t n : std::vector<std::uint64_t>{0, 1, 20, 1000, 100003}) {
    for (const unsigned workers : {1U, 2U, 3U}) {
      for (const std::uint64_t chunk : std::vector<std::uint64_t>{1, 7, n, n + 1}) {
        if (chunk == 0 || (GetParam() == "static" && chunk != n + 1)) continue;
        if (n / chunk > kMostTasks) continue;  // a thread per task for async
        SCOPED_TRACE("n=" + std::to_string(n) + " workers=" + std::to_string(workers) +
                     " chunk=" + std::to_string(chunk));
        ch10::Config config = config_for(GetParam(), n, workers, chunk);
        if (GetParam() == "static") config.chunk = 0;
        const ch10::TaskFacts result = ch10::run(config);
        EXPECT_EQ(result.sum, ptut::testing::expected_sum(n));
        EXPECT_EQ(result.tasks, ch10::plan_of(config).count());
      }
    }
  }
}

TEST_P(Ch10Run, SkewedWorkIsExact) {
  ch10::Config config = config_for(GetParam(), 20'001, 3, 0);
  config.skew = 7;
  config.options.work = 1;
  EXPECT_EQ(ch10::run(config).sum, ptut::testing::expected_sum(20'001));
}

TEST_P(Ch10Run, AThrowingTaskIsNamedAndTheRestCancelled) {
  ch10::Config config = config_for(GetParam(), 2'000'000, GetParam() == "static" ? 3 : 2);
  config.fault = {3, ch10::FaultKind::exception};
  try {
    (void)ch10::run(config);
    FAIL() << "the run did not fail";
  } catch (const ch10::RunFailed& failure) {
    const std::string what = failure.what();
    EXPECT_EQ(what.rfind("task 3 failed: injected fault: gave up at element ", 0), 0u)
        << what;
    EXPECT_NE(what.find("nothing is left running"), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, Ch10Run, ::testing::ValuesIn(kVariants));

}  // namespace
