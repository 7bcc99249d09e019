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
#include "ptut/process.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "segment.hpp"

namespace ch02 {

/// A worker's fault, if it was given one: it strikes halfway through the chunk
/// (or at the end of an empty one), and the worker then exits, aborts or hangs.
class FaultPlan {
 public:
  /// The fault `config` asks of worker number `worker`, with chunk `chunk`.
  FaultPlan(const Config& config, unsigned worker, ptut::Chunk chunk);
  /// Strikes once the worker has reached element `next` halfway through its chunk.
  void strike_if_due(std::uint64_t next) const {
    if (kind_ != FaultKind::none && next >= halfway_) strike();
  }
  /// Strikes if it has not yet: a worker whose chunk was empty still fails.
  void strike_if_pending() const {
    if (kind_ != FaultKind::none) strike();
  }

 private:
  [[noreturn]] void strike() const;
  FaultKind kind_ = FaultKind::none;
  std::uint64_t halfway_ = 0;
};

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
