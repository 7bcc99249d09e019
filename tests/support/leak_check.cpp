#include "leak_check.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
  std::vector<pid_t> children;
  const pid_t self = getpid();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;  // it ended meanwhile
    // Fields after the command name, which is in parentheses and may hold spaces.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent == self) children.push_back(std::stoi(name));
  }
  return children;
}

void become_subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1); }

std::vector<std::string> collect_leftovers() {
  std::vector<std::string> leftovers;
  for (pid_t child : child_processes()) {
    leftovers.push_back("child process " + std::to_string(child) + " still there");
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
  }
  std::set<pid_t> owners = started_pids();
  owners.insert(getpid());
  for (const std::string& name : ipc_objects_owned_by(owners)) {
    leftovers.push_back("/dev/shm/" + name + " left behind");
    std::filesystem::remove("/dev/shm/" + name);
  }
  return leftovers;
}

void NoLeaks::SetUp() { become_subreaper(); }

void NoLeaks::TearDown() {
  for (const std::string& leftover : collect_leftovers()) ADD_FAILURE() << leftover;
}

}  // namespace ptut::testing
