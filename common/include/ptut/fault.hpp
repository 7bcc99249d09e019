/// \file
/// \brief When an injected fault strikes (`--fault WORKER:KIND`): one plan for
/// every chapter. A chapter says which worker (or task) and what kind
/// (ptut::Fault, from the command line); the plan says when; the chapter's own
/// code says what striking does (exit, abort, hang, throw, write garbage).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "ptut/range.hpp"

namespace ptut {

/// Where one worker's fault strikes: at element `first + min(size / 2, at_most)`
/// of its chunk (halfway, or sooner for a large chunk), once; in an empty chunk, or
/// a chunk the worker finished without reaching that element, when it asks
/// pending() at its end. A worker that was given no fault is never struck.
class FaultPlan {
 public:
  /// The fault meant for worker `chosen` (0: none), as seen by worker `worker`
  /// with chunk `chunk`.
  FaultPlan(unsigned chosen, unsigned worker, Chunk chunk,
            std::uint64_t at_most = std::numeric_limits<std::uint64_t>::max())
      : armed_(chosen != 0 && chosen == worker),
        at_(chunk.first + std::min(chunk.size() / 2, at_most)) {}

  /// True, once, when the worker has reached element `next`.
  [[nodiscard]] bool due(std::uint64_t next) noexcept {
    if (!armed_ || next < at_) return false;
    armed_ = false;
    return true;
  }
  /// True, once, if the fault has not struck yet: asked when the chunk is done.
  [[nodiscard]] bool pending() noexcept { return std::exchange(armed_, false); }

 private:
  bool armed_;
  std::uint64_t at_;
};

/// What a thread's `--fault W:throw` does once its FaultPlan says it is due (chapters
/// 3 and 12): it throws, and the exception travels out of the thread to the run
/// (run_thread_team() names the thread). `next` is the element the thread had
/// reached; past the chunk's end for a thread that finished (a chunk too short to
/// stop halfway in) or had nothing to do.
[[noreturn]] inline void throw_injected_fault(Chunk chunk, std::uint64_t next) {
  if (chunk.empty())
    throw std::runtime_error("injected fault: gave up before the first element");
  throw std::runtime_error("injected fault: gave up at element " + std::to_string(next));
}

}  // namespace ptut
