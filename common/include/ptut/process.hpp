/// \file
/// \brief Forked workers that are always accounted for: started, watched, reaped,
/// and never left behind.
///
/// Two ways to hear of workers ending (SignalDelivery). By default the parent
/// blocks SIGCHLD and the signals that ask a program to stop (SIGINT, SIGTERM,
/// SIGHUP, SIGQUIT; those not ignored when the program started) and collects
/// them with `sigtimedwait` in wait() or poll(), so a worker's death or a Ctrl-C
/// is noticed without any code running inside a signal handler. A parent with an
/// event loop (chapter 4's Asio `signal_set`) catches them itself instead and
/// calls reap_ended() on SIGCHLD. Either way SIGCHLD is set to its default action
/// meanwhile (if it were ignored, the kernel would reap the workers itself and
/// waitpid could not tell how they ended), and SIGPIPE is ignored (a worker
/// writing into a closed pipe gets EPIPE instead of dying). Children restore the
/// old signal state, die with the parent (`PR_SET_PDEATHSIG`), and leave with
/// `_exit`, so they never flush the parent's stdio buffers or run its destructors.
/// A worker killed by one of the stop signals counts as an interruption only if
/// the parent received that signal too: Ctrl-C reaches the whole process group,
/// workers included, while `kill -TERM` aimed at one worker is that worker's
/// failure, reported like any other (signal_pending()).
#pragma once

#include <sys/types.h>

#include <signal.h>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ptut/failure.hpp"

namespace ptut {

/// How one worker process ended.
struct ChildEnd {
  unsigned worker = 0;  ///< 1-based worker number
  pid_t pid = 0;        ///< its process ID
  int exit_code = -1;   ///< its exit status, or −1 if a signal ended it
  int signal = 0;       ///< the signal that ended it, or 0

  /// True for a worker that exited with status 0.
  [[nodiscard]] bool ok() const noexcept { return signal == 0 && exit_code == 0; }
  /// "worker 2 (pid 4711) was killed by SIGKILL", "… exited with status 3".
  [[nodiscard]] std::string describe() const;
};

/// Who receives SIGCHLD and the stop signals while the workers run.
enum class SignalDelivery {
  /// ChildProcesses blocks them and wait() collects them with `sigtimedwait`.
  blocked,
  /// An event loop (Asio's `signal_set`) catches them; the caller reaps with
  /// reap_ended() when SIGCHLD arrives. stop_signals() lists what to catch.
  event_loop,
};

/// The worker processes of one run.
class ChildProcesses {
 public:
  /// Exit status of a child whose body threw an exception.
  static constexpr int kExitThrew = 70;

  /// With SignalDelivery::blocked, blocks SIGCHLD and the stop signals in this
  /// (single-threaded) process until destruction; they are then received only by
  /// wait(). With SignalDelivery::event_loop blocks nothing: create the event
  /// loop's signal_set after this object, so that children get back the signal
  /// dispositions this constructor saw.
  explicit ChildProcesses(SignalDelivery delivery = SignalDelivery::blocked);
  ChildProcesses(const ChildProcesses&) = delete;
  ChildProcesses& operator=(const ChildProcesses&) = delete;
  /// Kills (SIGKILL) and reaps every worker still there, then restores the mask.
  ~ChildProcesses();

  /// Forks worker number `worker`, which runs `body` and leaves with
  /// `_exit(body())`; if `body` throws, the message goes to stderr and the worker
  /// exits with kExitThrew. Returns the child's PID in the parent.
  /// \throws std::system_error if fork fails.
  pid_t start(unsigned worker, const std::function<int()>& body);

  /// Waits until every worker has ended, calling `check` about every `tick`.
  /// Returns std::nullopt when all exited with status 0, or else one line saying
  /// what went wrong: the first worker that failed, the message `check` returned
  /// (a hung worker, say), or "interrupted by SIGINT" (then interrupted() says
  /// which signal). On failure the other workers are killed and reaped before it
  /// returns.
  [[nodiscard]] std::optional<std::string> wait(
      const std::function<std::optional<std::string>()>& check = {},
      std::chrono::milliseconds tick = std::chrono::milliseconds(50));

  /// One step of wait(), for a parent that has work of its own between steps
  /// (SignalDelivery::blocked): waits up to `wait_at_most` for SIGCHLD or a stop
  /// signal, reaps whoever ended, and returns what went wrong, as wait() does
  /// (every worker is then stopped), or std::nullopt.
  [[nodiscard]] std::optional<std::string> poll(std::chrono::milliseconds wait_at_most);

  /// Reaps, without blocking, every worker that has ended since the last call (one
  /// SIGCHLD may stand for several) and returns them: what an event loop calls on
  /// SIGCHLD, and what a parent calls to learn who had ended before it stops the
  /// rest (stop_all() would make every worker still running read SIGKILL).
  std::vector<ChildEnd> reap_ended();

  /// Kills (SIGKILL) and reaps every worker still running.
  void stop_all();

  /// The process ID of worker number `worker`, running or reaped, or 0 for none.
  [[nodiscard]] pid_t pid_of(unsigned worker) const noexcept;

  /// How many workers have not been reaped yet.
  [[nodiscard]] std::size_t running() const noexcept { return running_.size(); }

  /// The stop signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT) that were not ignored when
  /// this object was made: the ones an event loop should catch.
  [[nodiscard]] const std::vector<int>& stop_signals() const noexcept {
    return stop_signals_;
  }

  /// The signal that interrupted wait(), or 0. A program should clean up, then
  /// end by that signal (reraise()), so that a shell loop around it stops too.
  [[nodiscard]] int interrupted() const noexcept { return interrupted_; }

  /// How every reaped worker ended, in the order they ended.
  [[nodiscard]] const std::vector<ChildEnd>& ended() const noexcept { return ended_; }

 private:
  void reap(bool block);
  void reap_own_children(bool block);
  void restore_in_child() const;

  /// \cond INTERNAL
  // (Hidden from Doxygen, which reads `struct sigaction` as a nested class.)
  sigset_t blocked_{};
  sigset_t previous_{};
  struct sigaction previous_chld_ {};
  struct sigaction previous_pipe_ {};
  struct sigaction previous_stop_[4]{};
  SignalDelivery delivery_;
  std::vector<int> stop_signals_;
  int interrupted_ = 0;
  std::size_t examined_ = 0;  // ended_[0, examined_) were checked for failure by poll()
  /// \endcond
  std::vector<ChildEnd> running_;
  std::vector<ChildEnd> ended_;
};

/// Whether this process has `signal` pending, blocked: with SignalDelivery::blocked,
/// whether it was sent the stop signal that killed a worker. The kernel queues a
/// signal sent to a process group on every member before any member can be seen
/// to die of it, so when a worker killed by SIGINT is reaped, the parent's own
/// SIGINT is already pending if the signal was meant for the whole group.
[[nodiscard]] bool signal_pending(int signal);

/// Ends the process by `signal` with its default action (as if it had never been
/// caught): the exit status then tells a shell that the program was interrupted.
[[noreturn]] void reraise(int signal);

/// "SIGKILL" for SIGKILL: the name a reader knows from `kill -l`.
[[nodiscard]] std::string signal_name(int signal);

}  // namespace ptut
