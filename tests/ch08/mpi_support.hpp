/// \file
/// \brief What chapter 8's tests share: starting this build's program through the
/// run scripts, and Open MPI's processes that end after the one that started them.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "runner.hpp"

namespace ptut::testing {

/// Makes chapters/08_mpi/run and across_hosts start this build's ch08_mpi, and,
/// in a sanitizer build, keeps LeakSanitizer to leaks of our own
/// (tests/ch08/lsan_open_mpi.supp says why; under AddressSanitizer the ranks
/// keep Open MPI's plug-ins loaded so that it can, keep_libraries_loaded.cpp).
/// mpirun passes the environment on to every rank.
inline void use_this_build_of_chapter_8() {
  setenv("CH08_PROGRAM", chapter_path("ch08_mpi").c_str(), 1);
  setenv("LSAN_OPTIONS",
         "suppressions=" PTUT_CH08_LSAN_SUPPRESSIONS ":print_suppressions=0", 1);
#ifdef PTUT_CH08_KEEP_LOADED
  setenv("LD_PRELOAD", PTUT_CH08_KEEP_LOADED, 1);
#endif
}

/// What the README tells a root user to export before typing mpirun by hand.
inline void allow_mpirun_as_root() {
  if (geteuid() != 0) return;
  setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
}

/// mpirun does not always wait for what it started: after a failed job, the
/// ranks it stopped, and after any job across hosts, its daemons (orted) end a
/// moment after mpirun has exited; a singleton's helper daemon outlives its
/// rank the same way. On a real machine init reaps them. A test process is a
/// subreaper (NoLeaks), so they come to it instead: this reaps those that have
/// ended, waiting up to `grace` for them to end. One still running then is left
/// for NoLeaks to report.
inline void reap_ended_mpi_processes(
    std::chrono::milliseconds grace = std::chrono::seconds(2)) {
  // timeout: across_hosts's, orphaned with its job when the script is killed outright.
  const std::set<std::string> open_mpi = {"(orted)", "(mpirun)", "(ch08_mpi)",
                                          "(timeout)"};
  const auto deadline = std::chrono::steady_clock::now() + grace;
  for (;;) {
    bool running = false;
    for (pid_t child : children_of(getpid(), /*with_zombies=*/true)) {
      std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
      std::string pid;
      std::string name;
      std::string state;
      stat >> pid >> name >> state;
      if (open_mpi.count(name) == 0) continue;
      if (state == "Z") {
        waitpid(child, nullptr, 0);
      } else {
        running = true;
      }
    }
    if (!running || std::chrono::steady_clock::now() > deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace ptut::testing
