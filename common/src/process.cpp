#include "ptut/process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "ptut/trace.hpp"

namespace ptut {

std::string signal_name(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation ? std::string("SIG") + abbreviation
                      : "signal " + std::to_string(signal);
}

std::string ChildEnd::describe() const {
  std::string text =
      "worker " + std::to_string(worker) + " (pid " + std::to_string(pid) + ") ";
  if (signal != 0) return text + "was killed by " + signal_name(signal);
  if (exit_code < 0)
    return text + "ended, and how could not be found out (reaped elsewhere)";
  return text + "exited with status " + std::to_string(exit_code);
}

bool signal_pending(int signal) {
  sigset_t pending;
  sigemptyset(&pending);
  return sigpending(&pending) == 0 && sigismember(&pending, signal) == 1;
}

void reraise(int signal) {
  trace::finish_open_session();
  std::fflush(nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(signal, &default_action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  raise(signal);
  _exit(128 + signal);  // not reached unless the default action does not end us
}

namespace {
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
}  // namespace

ChildProcesses::ChildProcesses(SignalDelivery delivery) : delivery_(delivery) {
  trace::name_thread("parent");  // beside its workers' tracks, if a trace is written
  sigemptyset(&blocked_);
  sigaddset(&blocked_, SIGCHLD);
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    sigaction(kStopSignals[i], nullptr, &previous_stop_[i]);
    // nohup, `&` in a script: leave it so
    if (previous_stop_[i].sa_handler == SIG_IGN) continue;
    sigaddset(&blocked_, kStopSignals[i]);
    stop_signals_.push_back(kStopSignals[i]);
  }
  if (delivery_ == SignalDelivery::blocked) {
    sigprocmask(SIG_BLOCK, &blocked_, &previous_);
  } else {
    // A mask is inherited through exec: a SIGCHLD blocked by whoever started us
    // would never reach the event loop.
    sigprocmask(SIG_UNBLOCK, &blocked_, &previous_);
  }
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &action, &previous_chld_);
  action.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &action, &previous_pipe_);
}

ChildProcesses::~ChildProcesses() {
  stop_all();
  if (delivery_ == SignalDelivery::blocked) {
    // Drop the SIGCHLDs of this run, so they do not reach the next one.
    const timespec now{0, 0};
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    while (sigtimedwait(&chld, nullptr, &now) > 0) {
    }
  }
  sigaction(SIGCHLD, &previous_chld_, nullptr);
  sigaction(SIGPIPE, &previous_pipe_, nullptr);
  // the loop's signal_set left SIG_DFL behind
  if (delivery_ == SignalDelivery::event_loop) {
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
      sigaction(kStopSignals[i], &previous_stop_[i], nullptr);
  }
  sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

// [fork]
pid_t ChildProcesses::start(unsigned worker, const std::function<int()>& body) {
  std::cout.flush();  // or the child inherits, and later prints, a copy of the buffer
  std::fflush(nullptr);
  const pid_t parent = getpid();
  // No signal may arrive between fork and the child's restore_in_child(): an
  // event loop's handler, inherited, would report it to the parent's loop.
  sigset_t everything;
  sigset_t before_fork;
  sigfillset(&everything);
  sigprocmask(SIG_BLOCK, &everything, &before_fork);
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    sigprocmask(SIG_SETMASK, &before_fork, nullptr);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (pid == 0) {
    // The child. Die with the parent, whatever kills it; then take the signals back.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    restore_in_child();
    trace::name_process("worker " + std::to_string(worker));
    int status = kExitThrew;
    try {
      status = body();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "worker %u: %s\n", worker, error.what());
    } catch (...) {
      std::fprintf(stderr, "worker %u: unknown exception\n", worker);
    }
    std::fflush(nullptr);  // the child's own output only: the parent's was flushed above
    _exit(status);
  }
  sigprocmask(SIG_SETMASK, &before_fork, nullptr);
  running_.push_back(ChildEnd{worker, pid, -1, 0});
  return pid;
}
// [fork]

void ChildProcesses::restore_in_child() const {
  sigaction(SIGCHLD, &previous_chld_, nullptr);
  if (delivery_ == SignalDelivery::event_loop) {
    for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
      sigaction(kStopSignals[i], &previous_stop_[i], nullptr);
  }
  sigprocmask(SIG_SETMASK, &previous_, nullptr);  // SIGPIPE stays ignored: EPIPE instead
}

pid_t ChildProcesses::pid_of(unsigned worker) const noexcept {
  for (const std::vector<ChildEnd>* list : {&running_, &ended_}) {
    for (const ChildEnd& child : *list) {
      if (child.worker == worker) return child.pid;
    }
  }
  return 0;
}

std::vector<ChildEnd> ChildProcesses::reap_ended() {
  const std::size_t before = ended_.size();
  reap(/*block=*/false);
  return {ended_.begin() + static_cast<std::ptrdiff_t>(before), ended_.end()};
}

// [reap]
void ChildProcesses::reap_own_children(bool block) {
  // SIGCHLDs coalesce: one may stand for several children, so reap in a loop, and
  // only our own PIDs.
  for (auto it = running_.begin(); it != running_.end();) {
    int status = 0;
    const pid_t done = waitpid(it->pid, &status, block ? 0 : WNOHANG);
    if (done == it->pid) {
      if (WIFEXITED(status)) it->exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) it->signal = WTERMSIG(status);
      trace::note_process_end(it->pid, it->ok(), it->describe());
      ended_.push_back(*it);
      it = running_.erase(it);
    } else if (done < 0 && errno == EINTR) {
      continue;
    } else if (done < 0) {  // ECHILD: someone else reaped it; how it ended is unknown
      it->exit_code = -1;
      ended_.push_back(*it);
      it = running_.erase(it);
    } else {
      ++it;
    }
  }
}
// [reap]

namespace {

// LLVM's OpenMP runtime (libomp: clang's -fopenmp) registers each process that has
// used OpenMP as a file, /dev/shm/__KMP_REGISTERED_LIB_<pid>_<uid>, which its exit
// handler removes. Its fork handler registers the child too, under the child's own
// PID, and a worker that leaves by _exit, or is killed, never runs that handler: its
// file would stay behind after every run that had used OpenMP before it forked
// (chapter 7 does, measuring chapter 9 and then chapter 2 in one process). The
// parent that reaps the worker removes it. GCC's libgomp registers nothing, and
// then there is nothing to remove.
void remove_openmp_registration(pid_t child) {
  const std::string name = "/dev/shm/__KMP_REGISTERED_LIB_" + std::to_string(child) +
                           "_" + std::to_string(getuid());
  unlink(name.c_str());  // ENOENT, the usual case, is fine
}

}  // namespace

void ChildProcesses::reap(bool block) {
  const std::size_t before = ended_.size();
  reap_own_children(block);
  for (std::size_t i = before; i < ended_.size(); ++i) {
    remove_openmp_registration(ended_[i].pid);
  }
}

void ChildProcesses::stop_all() {
  for (const ChildEnd& child : running_) kill(child.pid, SIGKILL);
  reap(/*block=*/true);
}

std::optional<std::string> ChildProcesses::poll(std::chrono::milliseconds wait_at_most) {
  if (delivery_ != SignalDelivery::blocked)
    throw std::logic_error("poll() needs SignalDelivery::blocked");
  const timespec timeout{static_cast<time_t>(wait_at_most.count() / 1000),
                         static_cast<long>(wait_at_most.count() % 1000) * 1'000'000L};
  const int signal = sigtimedwait(&blocked_, nullptr, &timeout);
  if (signal > 0 && signal != SIGCHLD) {
    stop_all();
    interrupted_ = signal;
    return "interrupted by " + signal_name(signal) + "; stopped every worker";
  }
  // Reap after a SIGCHLD; a call that waited also reaps when it timed out, in
  // case another part of the program took the SIGCHLD. A call that did not wait
  // and saw no signal costs one system call, not one per worker.
  if (signal == SIGCHLD || wait_at_most.count() > 0) reap(/*block=*/false);
  for (; examined_ < ended_.size(); ++examined_) {
    const int killed_by = ended_[examined_].signal;
    const bool stop_signal = std::find(stop_signals_.begin(), stop_signals_.end(),
                                       killed_by) != stop_signals_.end();
    if (stop_signal && signal_pending(killed_by)) {
      // Ctrl-C reaches the whole process group: a worker may die of it before
      // the parent collects its own copy, which is pending by then. A stop signal
      // sent to this worker alone is its failure (below), not an interruption.
      // The parent's copy is taken here: left pending, it would be delivered the
      // moment the destructor restores the signal mask, killing the program
      // before it says why (the caller reports it, then raises it again).
      sigset_t only;
      sigemptyset(&only);
      sigaddset(&only, killed_by);
      const timespec now{0, 0};
      (void)sigtimedwait(&only, nullptr, &now);
      stop_all();
      interrupted_ = killed_by;
      return "interrupted by " + signal_name(killed_by) + "; stopped every worker";
    }
    if (!ended_[examined_].ok()) {
      const std::string failure = ended_[examined_].describe();
      stop_all();
      return failure;
    }
  }
  return std::nullopt;
}

std::optional<std::string> ChildProcesses::wait(
    const std::function<std::optional<std::string>()>& check,
    std::chrono::milliseconds tick) {
  while (!running_.empty()) {
    if (auto failure = poll(tick)) return failure;
    if (check && !running_.empty()) {
      if (auto failure = check()) {
        stop_all();
        return failure;
      }
    }
  }
  return std::nullopt;
}

}  // namespace ptut
