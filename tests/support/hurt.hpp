/// \file
/// \brief Hooks that hurt a running chapter program the way a reader might: kill
/// one of its workers, or interrupt it (run_program()'s WhileRunning).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "ptut/process.hpp"
#include "ptut/timing.hpp"
#include "runner.hpp"

namespace ptut::testing {

/// Kills the program's newest worker with `signal` (SIGKILL unless told) once the
/// program has run 0.3 s with at least two workers, sent to that worker alone;
/// since_kill then times how long it takes to notice.
struct KillOneWorker {
  int signal = SIGKILL;         ///< what the worker is sent
  pid_t victim = 0;             ///< the killed worker, or 0 while none was
  ptut::Stopwatch since_start;  ///< started with the program
  ptut::Stopwatch since_kill;   ///< restarted at the kill
  /// CPU time the worker must have used before it is killed: past its start-up,
  /// at work. 0 kills it at 0.3 s whatever it is doing (an MPI rank may still be
  /// in MPI_Init then, on a busy machine, and its peers fail there first).
  double at_work_cpu_seconds = 0.0;
  void operator()(pid_t program, const std::string&) {
    if (victim != 0 || since_start.seconds() < 0.3) return;
    const auto workers = children_of(program);
    if (workers.size() < 2) return;
    if (cpu_seconds_of(workers.back()) < at_work_cpu_seconds) return;
    victim = workers.back();
    kill(victim, signal);
    since_kill.restart();
  }
};

/// Sends signals to a running program on a schedule: each step at its time since
/// the start, to the program alone or to its whole process group.
struct SignalSchedule {
  /// One signal to send.
  struct Step {
    double at;  ///< seconds since the start
    /// to every process of the group (workers too), not the program alone
    bool whole_group;
    int signal;  ///< what to send
  };
  std::vector<Step> steps;      ///< in the order of their times
  std::size_t sent = 0;         ///< how many steps have been taken
  ptut::Stopwatch since_start;  ///< started with the program
  void operator()(pid_t program, const std::string&) {
    while (sent < steps.size() && since_start.seconds() >= steps[sent].at) {
      // the program leads its group
      kill(steps[sent].whole_group ? -program : program, steps[sent].signal);
      ++sent;
    }
  }
};

/// Runs a chapter with `args` (a long run with `--hang-timeout 1`, and `--json`),
/// stops it for 1.5 s and checks that it still succeeds: time the job spent
/// stopped is nobody's hang. The parent alone (a debugger), or the whole job as
/// Ctrl-Z and `fg` do; then the workers stop 0.1 s before the parent (so that the
/// parent sees them still for a tick, as a stop landing between its looks does)
/// and go on 0.2 s after it (as on a busy machine, where they get a core later).
/// The N of a run that must outlast expect_stop_forgiven()'s two seconds of stops
/// with --work 4 and two workers, and then run on past the hang timeout: about three
/// seconds in the default preset, four or five under the asan preset (which builds
/// at -O1; at -O0 the same run took ten times as long, and needed a tenth of the N).
/// The test fails if the run ended before the stops.
inline const char* outlasting_n() {
  return "2000000000";
}

inline void expect_stop_forgiven(std::string_view program,
                                 const std::vector<std::string>& args, bool whole_group) {
  SignalSchedule schedule;
  if (whole_group) {
    schedule.steps = {{0.3, true, SIGSTOP},
                      {0.3, false, SIGCONT},
                      {0.4, false, SIGSTOP},
                      {1.9, false, SIGCONT},
                      {2.1, true, SIGCONT}};
  } else {
    schedule.steps = {{0.3, false, SIGSTOP}, {1.8, false, SIGCONT}};
  }
  const ProcessResult r =
      run_chapter(program, args, std::chrono::seconds(60), std::ref(schedule));
  ASSERT_EQ(schedule.sent, schedule.steps.size())
      << "the run ended before it was stopped and continued: " << r.how();
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["correct"], true);
}

/// Sends `signal` to the program once it has run 0.3 s with `workers` workers.
struct SignalTheProgram {
  /// A hook that will send `signal_to_send`.
  explicit SignalTheProgram(int signal_to_send) : signal(signal_to_send) {}
  int signal;                ///< what to send
  std::size_t workers = 2;   ///< how many workers must be running first
  bool whole_group = false;  ///< to every process of the program's group, as Ctrl-C does
  bool sent = false;         ///< whether it was sent
  ptut::Stopwatch since_start;  ///< started with the program
  void operator()(pid_t program, const std::string&) {
    if (sent || since_start.seconds() < 0.3 || children_of(program).size() != workers)
      return;
    // run_program makes the program a group leader
    kill(whole_group ? -program : program, signal);
    sent = true;
  }
};

/// Runs a chapter with `args` (a run long enough to be hurt), kills one of its
/// workers 0.3 s in with `signal`, and checks the contract: exit status 1 within
/// 2 s of the kill (a stop signal sent to one worker is that worker's failure, not
/// an interruption of the program), and stderr matching `says`, whose first group
/// must be the victim's PID. Returns the run, for the chapter's own checks (what
/// is left in /dev/shm).
inline ProcessResult expect_killed_worker_reported(std::string_view program,
                                                   const std::vector<std::string>& args,
                                                   const std::regex& says,
                                                   int signal = SIGKILL) {
  KillOneWorker killer;
  killer.signal = signal;
  ProcessResult r =
      run_chapter(program, args, std::chrono::seconds(60), std::ref(killer));
  const double after_kill = killer.since_kill.seconds();
  EXPECT_NE(killer.victim, 0) << "the run ended before a worker could be killed: "
                              << r.how();
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  EXPECT_LT(after_kill, 2.0) << "the parent took too long to notice";
  std::smatch match;
  if (!std::regex_match(r.err, match, says)) {
    ADD_FAILURE() << "stderr does not say what happened: " << r.err;
  } else {
    EXPECT_EQ(std::stoi(match[1]), killer.victim);
  }
  return r;
}

/// Interrupts a run of a chapter (`args`: long enough) with `signal` once two
/// workers are running, sent to the whole process group if `whole_group` (as
/// Ctrl-C in a terminal does), and checks the contract: the program ends by that
/// signal, so that a shell loop around it stops too, after one line saying so.
/// Returns the run, for the chapter's own checks (what is left in /dev/shm).
inline ProcessResult expect_interrupt_reported(std::string_view program,
                                               const std::vector<std::string>& args,
                                               int signal, bool whole_group = false) {
  SignalTheProgram interrupter(signal);
  interrupter.whole_group = whole_group;
  ProcessResult r =
      run_chapter(program, args, std::chrono::seconds(60), std::ref(interrupter));
  EXPECT_TRUE(interrupter.sent)
      << "the run ended before it could be interrupted: " << r.how();
  EXPECT_EQ(r.signal, signal) << r.how()
                              << ": a shell loop around the program must stop too";
  EXPECT_EQ(r.err, std::string(program) + ": interrupted by " + signal_name(signal) +
                       "; stopped every worker\n");
  return r;
}

/// Starts a long run (`long_args`) and, once `owns(pid)` says its named objects
/// exist, a short run (`short_args`) beside it; both must be correct (`--json` in
/// both argument lists), and the long run's objects must still be there after
/// the short one ended (it removed only its own).
inline void expect_two_runs_do_not_collide(std::string_view program,
                                           const std::vector<std::string>& long_args,
                                           const std::vector<std::string>& short_args,
                                           const std::function<bool(pid_t)>& owns) {
  ProcessResult second;
  bool overlapped = false;
  const ProcessResult first = run_chapter(program, long_args, std::chrono::seconds(60),
                                          [&](pid_t running, const std::string&) {
                                            if (second.pid != -1 || !owns(running))
                                              return;
                                            second = run_chapter(program, short_args);
                                            overlapped = owns(running);
                                          });
  ASSERT_TRUE(overlapped) << "the first run ended before the second: no overlap to test";
  for (const ProcessResult* r : {&first, static_cast<const ProcessResult*>(&second)}) {
    ASSERT_EQ(r->exit_code, 0) << r->how() << "\n" << r->err;
    EXPECT_EQ(nlohmann::json::parse(r->out)["correct"], true);
  }
}

}  // namespace ptut::testing
