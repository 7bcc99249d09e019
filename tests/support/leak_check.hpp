/// \file
/// \brief Checks that a test left nothing behind: no IPC object in /dev/shm owned
/// by this process or a program it started, and no child process.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace ptut::testing {

/// Names in /dev/shm made by ipc_name() whose owner is in `owners` (POSIX
/// semaphores, shown as `sem.ptut_…`, included).
[[nodiscard]] std::vector<std::string> ipc_objects_owned_by(
    const std::set<pid_t>& owners);

/// PIDs of this process's children, running or zombie. Orphaned grandchildren count
/// too once become_subreaper() was called: they are re-parented to us.
[[nodiscard]] std::vector<pid_t> child_processes();

/// Makes this process the "subreaper" of everything it starts (prctl
/// PR_SET_CHILD_SUBREAPER), so a worker orphaned by a killed chapter process is
/// re-parented here, where child_processes() sees it, instead of to init.
void become_subreaper();

/// The project's entries in /dev/shm now (names starting `ptut_` or `sem.ptut_`).
[[nodiscard]] std::set<std::string> project_ipc_objects();

/// What a test left behind, one line per object or process; empty when clean.
/// Objects count when their owner is this process or a program it started, and,
/// among those not in `before`, when their name is malformed or their owner is dead
/// (a fixed name, or one named after a worker). Names ending in `_fixture` are a
/// test's own deliberate leftovers and are skipped. Kills and reaps leftover
/// children and removes leftover objects, so one leaky test does not fail the next.
[[nodiscard]] std::vector<std::string> collect_leftovers(
    const std::set<std::string>& before = {});

/// This process's open file descriptors, each as "<number> -> <what it is>"
/// (from /proc/self/fd: "3 -> pipe:[12345]").
[[nodiscard]] std::set<std::string> open_file_descriptors();

/// Base fixture for every test that starts processes or creates IPC objects:
/// fails the test if it leaves anything behind, a file descriptor included.
class NoLeaks : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

 private:
  std::set<std::string> before_;
  std::set<std::string> fds_before_;
};

}  // namespace ptut::testing
