/// \file
/// \brief What chapter 3's full program adds around the approach: a thread that
/// throws on request (--fault W:throw), to show an exception carried out of a
/// thread instead of ending the program.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "ptut/range.hpp"
#include "threads_atomics.hpp"

namespace ch03 {

/// A thread's fault, if it was given one: it throws halfway through its chunk,
/// or before the first element of an empty one.
class FaultPlan {
 public:
  /// The fault `config` asks of thread number `worker`, with chunk `chunk`.
  FaultPlan(const Config& config, unsigned worker, ptut::Chunk chunk)
      : faulty_(config.throwing_worker == worker),
        empty_(chunk.empty()),
        halfway_(chunk.first + chunk.size() / 2) {}
  /// Throws once the thread has reached element `next` halfway through its chunk.
  void throw_if_due(std::uint64_t next) const {
    if (faulty_ && next >= halfway_) {
      throw std::runtime_error("injected fault: gave up at element " +
                               std::to_string(next));
    }
  }
  /// Throws for an empty chunk, which has no halfway.
  void throw_if_empty() const {
    if (faulty_ && empty_)
      throw std::runtime_error("injected fault: gave up before the first element");
  }

 private:
  bool faulty_;
  bool empty_;
  std::uint64_t halfway_;
};

}  // namespace ch03
