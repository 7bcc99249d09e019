/// \file
/// \brief Hooks that hurt a running chapter program the way a reader might: kill
/// one of its workers, or interrupt it (run_program()'s WhileRunning).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <string>

#include "ptut/timing.hpp"
#include "runner.hpp"

namespace ptut::testing {

/// Kills the program's newest worker with SIGKILL once the program has run 0.3 s
/// with at least two workers; since_kill then times how long it takes to notice.
struct KillOneWorker {
  pid_t victim = 0;             ///< the killed worker, or 0 while none was
  ptut::Stopwatch since_start;  ///< started with the program
  ptut::Stopwatch since_kill;   ///< restarted at the kill
  void operator()(pid_t program, const std::string&) {
    if (victim != 0 || since_start.seconds() < 0.3) return;
    const auto workers = children_of(program);
    if (workers.size() < 2) return;
    victim = workers.back();
    kill(victim, SIGKILL);
    since_kill.restart();
  }
};

/// Sends `signal` to the program once it has run 0.3 s with `workers` workers.
struct SignalTheProgram {
  /// A hook that will send `signal_to_send`.
  explicit SignalTheProgram(int signal_to_send) : signal(signal_to_send) {}
  int signal;                ///< what to send
  std::size_t workers = 2;   ///< how many workers must be running first
  bool sent = false;         ///< whether it was sent
  ptut::Stopwatch since_start;  ///< started with the program
  void operator()(pid_t program, const std::string&) {
    if (sent || since_start.seconds() < 0.3 || children_of(program).size() != workers) return;
    kill(program, signal);
    sent = true;
  }
};

}  // namespace ptut::testing
