/// \file
/// \brief What chapter 2's full program adds around the approach: a worker that
/// fails on request (--fault), and the parent's watchdog that tells a slow worker
/// from a hung one and shows progress.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fork_shared_memory.hpp"
#include "ptut/fault.hpp"
#include "ptut/process.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "segment.hpp"

namespace ch02 {

/// What a worker's fault does once ptut::FaultPlan says it is due (halfway through
/// its chunk, or at the end of an empty one): exit with status 3, abort, or hang
/// (no more progress, until the parent kills it).
[[noreturn]] void strike(FaultKind kind);

/// The parent's check, every tick of ChildProcesses::wait(): a worker whose
/// progress counter stood still for `hang_timeout` seconds is hung (time the
/// whole job was stopped does not count: ptut::WatchdogClock), and a terminal
/// shows how far they all got.
class Watchdog {
 public:
  /// Watches the workers of `children`, which report to `segment`.
  Watchdog(const Segment& segment, const std::vector<ptut::Chunk>& chunks,
           const ptut::ChildProcesses& children, double hang_timeout, std::uint64_t n);
  /// One look: why the run must stop, or std::nullopt.
  std::optional<std::string> operator()();

 private:
  [[nodiscard]] bool exited(unsigned worker) const;

  const Segment& segment_;
  const std::vector<ptut::Chunk>& chunks_;
  const ptut::ChildProcesses& children_;
  double hang_timeout_;
  std::vector<std::uint64_t> last_done_;
  std::vector<double> last_change_;
  ptut::WatchdogClock clock_;
  ptut::Progress progress_;
};

}  // namespace ch02
