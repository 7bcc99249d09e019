// What chapter 2's full program adds around the approach: faults on request and
// the parent's watchdog.
#include "watch.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace ch02 {

void strike(FaultKind kind) {
  switch (kind) {
    case FaultKind::exit:
      _exit(3);
    case FaultKind::abort:
      std::abort();
    case FaultKind::hang:
    case FaultKind::none:
      break;
  }
  for (;;) pause();  // hang: no more progress, until the parent kills us
}

Watchdog::Watchdog(const Segment& segment, const std::vector<ptut::Chunk>& chunks,
                   const ptut::ChildProcesses& children, double hang_timeout,
                   std::uint64_t n)
    : segment_(segment),
      chunks_(chunks),
      children_(children),
      hang_timeout_(hang_timeout),
      last_done_(chunks.size(), 0),
      last_change_(chunks.size(), 0.0),
      progress_(n) {}

std::optional<std::string> Watchdog::operator()() {
  // leaves out any time the whole job was stopped (Ctrl-Z)
  const double now = clock_.seconds();
  std::uint64_t total_done = 0;
  for (unsigned w = 0; w < chunks_.size(); ++w) {
    const std::uint64_t done = segment_.slot(w).done.load(std::memory_order_relaxed);
    total_done += done;
    const bool finished = segment_.slot(w).finished.load(std::memory_order_acquire);
    if (done != last_done_[w] || finished || exited(w + 1)) {
      last_done_[w] = done;
      last_change_[w] = now;
    } else if (now - last_change_[w] > hang_timeout_) {
      return "worker " + std::to_string(w + 1) + " (pid " +
             std::to_string(children_.pid_of(w + 1)) + ") made no progress for " +
             ptut::format_seconds(now - last_change_[w]) + " and was stopped as hung";
    }
  }
  progress_.update(total_done);
  return std::nullopt;
}

bool Watchdog::exited(unsigned worker) const {
  return std::any_of(
      children_.ended().begin(), children_.ended().end(),
      [worker](const ptut::ChildEnd& end) { return end.worker == worker; });
}

}  // namespace ch02
