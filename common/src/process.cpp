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
#include <system_error>

namespace ptut {

std::string signal_name(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  return abbreviation ? std::string("SIG") + abbreviation : "signal " + std::to_string(signal);
}

std::string ChildEnd::describe() const {
  std::string text = "worker " + std::to_string(worker) + " (pid " + std::to_string(pid) + ") ";
  if (signal != 0) return text + "was killed by " + signal_name(signal);
  if (exit_code < 0) return text + "ended, and how could not be found out (reaped elsewhere)";
  return text + "exited with status " + std::to_string(exit_code);
}

void reraise(int signal) {
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

ChildProcesses::ChildProcesses() {
  sigemptyset(&blocked_);
  sigaddset(&blocked_, SIGCHLD);
  for (int stop : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
    struct sigaction now {};
    sigaction(stop, nullptr, &now);
    if (now.sa_handler != SIG_IGN) sigaddset(&blocked_, stop);  // nohup, `&` in a script
  }
  sigprocmask(SIG_BLOCK, &blocked_, &previous_);
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &action, &previous_chld_);
  action.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &action, &previous_pipe_);
}

ChildProcesses::~ChildProcesses() {
  kill_all();
  // Drop the SIGCHLDs of this run, so they do not reach the next one.
  const timespec now{0, 0};
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  while (sigtimedwait(&chld, nullptr, &now) > 0) {
  }
  sigaction(SIGCHLD, &previous_chld_, nullptr);
  sigaction(SIGPIPE, &previous_pipe_, nullptr);
  sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

pid_t ChildProcesses::start(unsigned worker, const std::function<int()>& body) {
  std::cout.flush();  // or the child inherits, and later prints, a copy of the buffer
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // The child. Die with the parent, whatever kills it; then take the signals back.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the parent died before prctl took effect
    sigaction(SIGCHLD, &previous_chld_, nullptr);
    sigprocmask(SIG_SETMASK, &previous_, nullptr);  // SIGPIPE stays ignored: EPIPE instead
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
  running_.push_back(ChildEnd{worker, pid, -1, 0});
  return pid;
}

void ChildProcesses::reap(bool block) {
  // SIGCHLDs coalesce: one may stand for several children, so reap in a loop, and
  // only our own PIDs.
  for (auto it = running_.begin(); it != running_.end();) {
    int status = 0;
    const pid_t done = waitpid(it->pid, &status, block ? 0 : WNOHANG);
    if (done == it->pid) {
      if (WIFEXITED(status)) it->exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) it->signal = WTERMSIG(status);
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

void ChildProcesses::kill_all() {
  for (const ChildEnd& child : running_) kill(child.pid, SIGKILL);
  reap(/*block=*/true);
}

std::optional<std::string> ChildProcesses::wait(
    const std::function<std::optional<std::string>()>& check, std::chrono::milliseconds tick) {
  const timespec timeout{static_cast<time_t>(tick.count() / 1000),
                         static_cast<long>(tick.count() % 1000) * 1'000'000L};
  std::size_t seen = ended_.size();
  while (!running_.empty()) {
    const int signal = sigtimedwait(&blocked_, nullptr, &timeout);
    if (signal > 0 && signal != SIGCHLD) {
      kill_all();
      interrupted_ = signal;
      return "interrupted by " + signal_name(signal) + "; stopped every worker";
    }
    reap(/*block=*/false);
    for (; seen < ended_.size(); ++seen) {
      if (!ended_[seen].ok()) {
        const std::string failure = ended_[seen].describe();
        kill_all();
        return failure;
      }
    }
    if (check && !running_.empty()) {
      if (auto failure = check()) {
        kill_all();
        return failure;
      }
    }
  }
  return std::nullopt;
}

}  // namespace ptut
