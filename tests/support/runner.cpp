#include "runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ptut/timing.hpp"

namespace ptut::testing {
namespace {

std::set<pid_t>& pids() {
  static std::set<pid_t> started;
  return started;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) result.push_back(line);
  }
  return result;
}

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

std::string ProcessResult::how() const {
  if (timed_out) return "timed out after " + format_seconds(seconds) + " and was killed";
  if (signal != 0) return std::string("killed by SIG") + sigabbrev_np(signal);
  return "exit " + std::to_string(exit_code);
}

std::vector<std::string> ProcessResult::out_lines() const {
  return lines(out);
}
std::vector<std::string> ProcessResult::err_lines() const {
  return lines(err);
}

const std::set<pid_t>& started_pids() {
  return pids();
}

ProcessResult run_program(const std::string& path, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout,
                          const WhileRunning& while_running) {
  int out_pipe[2];
  int err_pipe[2];
  check(pipe2(out_pipe, O_CLOEXEC) == 0, "pipe2");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    check(false, "pipe2");
  }

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  const Stopwatch stopwatch;
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    check(false, "fork");
  }
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec, then _exit on failure.
    setpgid(0, 0);
    // dup2 clears CLOEXEC on fd 0
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    dup2(devnull, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execv(path.c_str(), argv.data());
    const char message[] = "run_program: exec failed\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill below
  pids().insert(pid);
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult result;
  result.pid = pid;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  const double limit = std::chrono::duration<double>(timeout).count();
  int open_pipes = 2;
  while (open_pipes > 0) {
    const double left = limit - stopwatch.seconds();
    if (left <= 0 && !result.timed_out) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
    }
    // After a kill, give the pipes a second to reach EOF: a grandchild that left
    // the group could hold them open forever.
    double wait = result.timed_out ? 1.0 + left : left;
    if (wait <= 0) break;
    if (while_running && !result.timed_out) {
      while_running(pid, result.out);
      wait = std::min(wait, 0.01);
    }
    const int ready = poll(fds, 2, static_cast<int>(wait * 1000) + 1);
    if (ready < 0 && errno == EINTR) continue;
    check(ready >= 0, "poll");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }

  // A program may close its output and go on running: the deadline holds here too.
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    check(done == 0 || errno == EINTR, "waitpid");
    if (!result.timed_out && stopwatch.seconds() > limit) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
    }
    usleep(1000);
  }
  result.seconds = stopwatch.seconds();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

std::string chapter_path(std::string_view target) {
  return std::string(PTUT_BIN_DIR) + "/" + std::string(target);
}

ProcessResult run_chapter(std::string_view target, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout,
                          const WhileRunning& while_running) {
  return run_program(chapter_path(target), args, timeout, while_running);
}

namespace {

// The fields of /proc/<pid>/stat after the command name (which is in parentheses
// and may hold spaces), from field 3, the state, on; false when the process ended.
bool stat_after_name(const std::filesystem::path& stat_file, std::istringstream& rest) {
  std::ifstream stat(stat_file);
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return false;
  rest.str(line.substr(close + 1));
  return true;
}

}  // namespace

std::vector<pid_t> children_of(pid_t parent, bool with_zombies) {
  std::vector<pid_t> children;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::istringstream rest;
    if (!stat_after_name(entry.path() / "stat", rest)) continue;  // it ended meanwhile
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && (with_zombies || state != 'Z'))
      children.push_back(std::stoi(name));
  }
  return children;
}

double cpu_seconds_of(pid_t process) {
  std::istringstream rest;
  if (!stat_after_name("/proc/" + std::to_string(process) + "/stat", rest)) return 0.0;
  // Fields 3 to 13 skipped; utime and stime (14 and 15) are in clock ticks.
  std::string skipped;
  for (int field = 3; field <= 13; ++field) rest >> skipped;
  unsigned long long user = 0, system = 0;
  rest >> user >> system;
  return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace ptut::testing
