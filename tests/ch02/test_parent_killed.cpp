// A chapter 2 parent killed with SIGKILL: what it leaves, and who cleans up.
// Its own executable, run alone (RUN_SERIAL): the dead run's segment must not be
// seen by other tests' leak checks, nor removed by other chapter 2 runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "leak_check.hpp"
#include "ptut/timing.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::run_chapter;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch02_fork_shared_memory";

class Ch02ParentKilled : public ptut::testing::NoLeaks {};

TEST_F(Ch02ParentKilled,
       AParentKilledWithSigkillTakesItsWorkersAlongAndTheNextRunCleansUp) {
  pid_t parent = 0;
  const ptut::Stopwatch since_start;
  const auto r =
      run_chapter(kProgram, {"--n", "4000000000", "--work", "16", "--memory", "named"},
                  60s, [&](pid_t program, const std::string&) {
                    if (parent == 0 && since_start.seconds() > 0.3 &&
                        ptut::testing::children_of(program).size() == 2) {
                      parent = program;
                      kill(program, SIGKILL);
                    }
                  });
  ASSERT_NE(parent, 0);
  EXPECT_EQ(r.signal, SIGKILL);
  // The workers die with their parent (PR_SET_PDEATHSIG) and come to this test, the
  // subreaper, to be reaped: none may still be running.
  for (int tries = 0; tries < 200 && !ptut::testing::children_of(getpid()).empty();
       ++tries) {
    usleep(10'000);
  }
  EXPECT_TRUE(ptut::testing::children_of(getpid()).empty())
      << "a worker outlived its parent";
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  // SIGKILL left the parent no chance to remove its segment. The next run removes
  // it and says so. (This suite runs alone: any other test's leak check would see
  // the dead run's segment, and any other chapter 2 run would remove it.)
  const std::string left = "ptut_ch02_" + std::to_string(parent) + "_segment";
  ASSERT_TRUE(std::filesystem::exists("/dev/shm/" + left));
  const auto next =
      run_chapter(kProgram, {"--n", "2000000", "--memory", "named", "--json"});
  EXPECT_EQ(next.exit_code, 0) << next.how();
  EXPECT_EQ(next.err, "ch02_fork_shared_memory: removed /dev/shm/" + left +
                          ", left behind by a run that no longer exists\n");
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + left));
}

}  // namespace
