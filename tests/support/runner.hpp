/// \file
/// \brief Starts a chapter's executable as a reader would, and captures what it
/// printed and how it ended.
///
/// Written with fork/exec/poll rather than Boost.Process: the tests must read
/// stdout and stderr at once without deadlocking on a full pipe, kill a whole
/// process group on a deadline, and record every PID they start for the leak
/// check: three things that take about as many lines here as the glue for a
/// library would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ptut::testing {

/// How a program ended and what it printed.
struct ProcessResult {
  pid_t pid = -1;          ///< the program's PID (also its process group)
  int exit_code = -1;      ///< its exit status, or −1 if a signal ended it
  int signal = 0;          ///< the signal that ended it, or 0
  bool timed_out = false;  ///< true if the runner killed it at the deadline
  std::string out;         ///< everything it wrote to stdout
  std::string err;         ///< everything it wrote to stderr
  double seconds = 0.0;    ///< wall time from start to end

  /// "exit 2", "killed by SIGSEGV", "timed out after 20 s": for failure messages.
  [[nodiscard]] std::string how() const;
  /// The non-empty lines of `out`.
  [[nodiscard]] std::vector<std::string> out_lines() const;
  /// The non-empty lines of `err`.
  [[nodiscard]] std::vector<std::string> err_lines() const;
};

/// Called about every 10 ms while a program runs, with its PID and what it has
/// printed on stdout so far: lets a test act on a running program (kill one of its
/// workers, send it a signal, start a second run beside it).
using WhileRunning = std::function<void(pid_t pid, const std::string& out_so_far)>;

/// Runs `path` with `args` in a new process group, stdin from /dev/null; kills the
/// whole group with SIGKILL if it runs past `timeout`.
[[nodiscard]] ProcessResult run_program(
    const std::string& path, const std::vector<std::string>& args,
    std::chrono::milliseconds timeout = std::chrono::seconds(30),
    const WhileRunning& while_running = {});

/// The path of a chapter's executable in this build, e.g.
/// chapter_path("ch01_serial_sum").
[[nodiscard]] std::string chapter_path(std::string_view target);

/// run_program() on a chapter's executable.
[[nodiscard]] ProcessResult run_chapter(
    std::string_view target, const std::vector<std::string>& args,
    std::chrono::milliseconds timeout = std::chrono::seconds(30),
    const WhileRunning& while_running = {});

/// PIDs of the children of process `parent` (from /proc); zombies (ended, not yet
/// reaped) only if `with_zombies`.
[[nodiscard]] std::vector<pid_t> children_of(pid_t parent, bool with_zombies = false);

/// CPU time `process` has used so far (user and system, from /proc), or 0 when it
/// has ended.
[[nodiscard]] double cpu_seconds_of(pid_t process);

/// Every PID run_program() has started in this test process.
[[nodiscard]] const std::set<pid_t>& started_pids();

}  // namespace ptut::testing
