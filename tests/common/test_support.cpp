// The test utilities must be able to fail: each check here shows one catching
// what it is for.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "leak_check.hpp"
#include "oracle.hpp"
#include "page_claims.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::run_program;
using namespace std::chrono_literals;

TEST(Oracle, KnowsTheArticlesNumbers) {
  EXPECT_EQ(ptut::testing::expected_sum(20), 210u);
  EXPECT_EQ(ptut::testing::expected_sum(2'000'000), 2'000'001'000'000u);
  EXPECT_EQ(ptut::testing::expected_sum(0), 0u);
  EXPECT_EQ(ptut::testing::expected_sum(ptut::Chunk{11, 21}), 155u);
}

TEST(Runner, CapturesBothStreamsAndTheExitCode) {
  const auto r = run_program("/bin/sh", {"-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.how(), "exit 3");
}

TEST(Runner, NamesTheSignalThatEndedAProgram) {
  const auto r = run_program("/bin/sh", {"-c", "kill -SEGV $$"});
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(r.how(), "killed by SIGSEGV");
}

TEST(Runner, KillsAProgramAtItsDeadline) {
  const auto r = run_program("/bin/sh", {"-c", "sleep 30"}, 300ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.seconds, 5.0);
  EXPECT_TRUE(ptut::testing::collect_leftovers().empty())
      << "the whole group must be killed";
}

TEST(Runner, ReadsMoreThanAPipeHoldsOnBothStreams) {
  // 1 MiB on each stream: a runner that read them one after another would deadlock.
  const auto r = run_program(
      "/bin/sh", {"-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"}, 20s);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out.size(), 1048576u);
  EXPECT_EQ(r.err.size(), 1048576u);
}

TEST(Runner, AMissingProgramIsExit127) {
  const auto r = run_program("/nonexistent/program", {});
  EXPECT_EQ(r.exit_code, 127);
}

TEST(LeakCheck, FindsAChildProcessAndRemovesIt) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  const auto leftovers = ptut::testing::collect_leftovers();
  ASSERT_EQ(leftovers.size(), 1u);
  EXPECT_NE(leftovers[0].find(std::to_string(child)), std::string::npos);
  EXPECT_TRUE(ptut::testing::child_processes().empty());
}

TEST(LeakCheck, FindsAnOrphanedGrandchild) {
  ptut::testing::become_subreaper();
  const auto r =
      run_program("/bin/sh", {"-c", "sleep 30 >/dev/null 2>&1 & echo started"});
  ASSERT_EQ(r.exit_code, 0);
  const auto leftovers = ptut::testing::collect_leftovers();
  EXPECT_EQ(leftovers.size(), 1u) << "the orphaned sleep is re-parented to the test";
}

TEST(LeakCheck, SeesAPipeLeftOpen) {
  const auto before = ptut::testing::open_file_descriptors();
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  const auto after = ptut::testing::open_file_descriptors();
  close(ends[0]);
  close(ends[1]);
  std::vector<std::string> added;
  for (const std::string& fd : after) {
    if (!before.contains(fd)) added.push_back(fd);
  }
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].rfind(std::to_string(std::min(ends[0], ends[1])) + " -> pipe:[", 0),
            0u)
      << added[0];
  EXPECT_EQ(ptut::testing::open_file_descriptors(), before);
}

TEST(LeakCheck, FindsAnIpcObjectOwnedByThisProcessAndRemovesIt) {
  const std::string name = "ptut_test_" + std::to_string(getpid()) + "_probe";
  std::ofstream("/dev/shm/" + name) << "x";
  const auto leftovers = ptut::testing::collect_leftovers();
  ASSERT_EQ(leftovers.size(), 1u);
  EXPECT_EQ(leftovers[0], "/dev/shm/" + name + " left behind");
  EXPECT_TRUE(ptut::testing::ipc_objects_owned_by({getpid()}).empty());
}

TEST(LeakCheck, IgnoresObjectsOfOtherOwners) {
  // Another test running at the same time (ctest -j) owns this one.
  const std::string name =
      "ptut_test_" + std::to_string(getppid()) + "_probe_" + std::to_string(getpid());
  std::ofstream("/dev/shm/" + name) << "x";
  EXPECT_TRUE(ptut::testing::collect_leftovers().empty());
  std::remove(("/dev/shm/" + name).c_str());
}

}  // namespace

TEST(PageClaims, NumbersAreReadAsTheReaderReadsThem) {
  using ptut::testing::numbers_in;
  EXPECT_EQ(numbers_in("between 1.7× and 2×"), (std::vector<double>{1.7, 2}));
  EXPECT_EQ(numbers_in("from N = 10^8 (2·10^7 with --work 16)"),
            (std::vector<double>{1e8, 2e7, 16}));
  EXPECT_EQ(numbers_in("1,415 ms and 0.84 ns"), (std::vector<double>{1415, 0.84}));
  EXPECT_TRUE(numbers_in("no numbers here").empty());
}

TEST(PageClaims, AClaimIsReadFromThePageAndAMissingOneFails) {
  // Chapter 7's page says how e behaves in \claim{ch07_karp_flatt_range::…}.
  EXPECT_FALSE(
      ptut::testing::page_claim("07_measuring", "ch07_karp_flatt_range").empty());
  EXPECT_NONFATAL_FAILURE(
      (void)ptut::testing::page_claim("07_measuring", "no_such_claim"),
      "has no \\claim{no_such_claim::");
}
