#include "leak_check.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ptut/ipc_names.hpp"
#include "runner.hpp"

namespace ptut::testing {

std::vector<std::string> ipc_objects_owned_by(const std::set<pid_t>& owners) {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", error)) {
    const std::string name = entry.path().filename().string();
    const auto owner = ipc_owner(name);
    if (owner && owners.count(*owner) != 0) found.push_back(name);
  }
  return found;
}

std::vector<pid_t> child_processes() {
  return children_of(getpid(), /*with_zombies=*/true);
}

void become_subreaper() {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
}

std::set<std::string> project_ipc_objects() {
  std::set<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("ptut_", 0) == 0 || name.rfind("sem.ptut_", 0) == 0)
      names.insert(name);
  }
  return names;
}

namespace {

std::string command_of(pid_t process) {
  std::string command;
  std::getline(std::ifstream("/proc/" + std::to_string(process) + "/comm"), command);
  return command;
}

// clang's AddressSanitizer symbolizes the stacks of a leak report (chapter 8's
// ranks, whose suppressions name functions) with an llvm-symbolizer process of its
// own, which ends when it reads the end of its input, a moment after the program
// that started it. Orphaned, it comes to this subreaper: it gets two seconds to end
// by itself before it counts as left behind. (GCC's sanitizers symbolize inside the
// process.)
void let_symbolizers_end() {
  for (int look = 0; look < 200; ++look) {
    bool waiting = false;
    for (pid_t child : child_processes()) {
      if (command_of(child) != "llvm-symbolizer") continue;
      if (waitpid(child, nullptr, WNOHANG) == 0) waiting = true;
    }
    if (!waiting) return;
    usleep(10'000);
  }
}

}  // namespace

std::vector<std::string> collect_leftovers(const std::set<std::string>& before) {
  std::vector<std::string> leftovers;
  let_symbolizers_end();
  for (pid_t child : child_processes()) {
    const std::string command = command_of(child);  // which program, for the message
    leftovers.push_back("child process " + std::to_string(child) + " (" + command +
                        ") still there");
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
  }
  std::set<pid_t> owners = started_pids();
  owners.insert(getpid());
  for (const std::string& name : project_ipc_objects()) {
    const auto owner = ipc_owner(name);
    const bool ours = owner && owners.count(*owner) != 0;
    const bool fixture =
        name.size() >= 8 && name.compare(name.size() - 8, 8, "_fixture") == 0;
    const bool orphan =
        before.count(name) == 0 && !fixture && (!owner || !process_alive(*owner));
    if (!ours && !orphan) continue;
    leftovers.push_back("/dev/shm/" + name +
                        (owner ? " left behind" : " left behind (not a ptut name)"));
    std::filesystem::remove("/dev/shm/" + name);
  }
  return leftovers;
}

std::set<std::string> open_file_descriptors() {
  std::set<std::string> open;
  // the iterator's own
  const std::string listing = "/proc/" + std::to_string(getpid()) + "/fd";
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code unreadable;
    const auto target = std::filesystem::read_symlink(entry.path(), unreadable);
    if (!unreadable && target != listing)
      open.insert(entry.path().filename().string() + " -> " + target.string());
  }
  return open;
}

void NoLeaks::SetUp() {
  become_subreaper();
  before_ = project_ipc_objects();
  fds_before_ = open_file_descriptors();
}

void NoLeaks::TearDown() {
  for (const std::string& leftover : collect_leftovers(before_))
    ADD_FAILURE() << leftover;
  for (const std::string& fd : open_file_descriptors()) {
    if (!fds_before_.contains(fd)) ADD_FAILURE() << "file descriptor left open: " << fd;
  }
}

}  // namespace ptut::testing
