// The leak check must catch what it is for, shown on objects made to be caught.
// Its own executable, run alone (RUN_SERIAL): the objects it makes would be
// leftovers to every other test's leak check too.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "leak_check.hpp"

namespace {

TEST(LeakCheck, FindsAMisnamedObjectAndOneWhoseOwnerIsDead) {
  const auto before = ptut::testing::project_ipc_objects();
  const pid_t dead = fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) _exit(0);
  ASSERT_EQ(waitpid(dead, nullptr, 0), dead);
  const std::string orphan = "ptut_test_" + std::to_string(dead) + "_worker_segment";
  const std::string misnamed = "ptut_fixed_name_" + std::to_string(getpid());
  std::ofstream("/dev/shm/" + orphan) << "x";
  std::ofstream("/dev/shm/" + misnamed) << "x";
  const auto leftovers = ptut::testing::collect_leftovers(before);
  EXPECT_EQ(leftovers.size(), 2u);
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + orphan));
  EXPECT_FALSE(std::filesystem::exists("/dev/shm/" + misnamed));
}

}  // namespace
