/// \file
/// \brief The one exception a chapter's run() throws when the run failed: what a
/// program reports as one line and exit status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace ptut {

/// A run failed: a worker (process, thread, task or rank) died or misbehaved, the
/// system refused something the run needed, or a signal interrupted it; what()
/// names who and says how, in one line. Whatever the run started has been stopped
/// and reaped, and every named object removed, by the time it is thrown.
class RunFailed : public std::runtime_error {
 public:
  /// A failure; `signal` is the signal that interrupted the run, or 0.
  explicit RunFailed(const std::string& what, int signal = 0)
      : std::runtime_error(what), signal_(signal) {}
  /// The signal (SIGINT, SIGTERM, …) that interrupted the run, or 0. The program
  /// should end by it (reraise()) once it has cleaned up.
  [[nodiscard]] int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

}  // namespace ptut
