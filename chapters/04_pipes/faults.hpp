/// \file
/// \brief What chapter 4's full program adds to a worker to try the parent: a
/// fault on request (--fault), and notes of any length (--chatter).
#pragma once

#include <cstdint>

#include "pipes.hpp"
#include "ptut/range.hpp"
#include "worker.hpp"

namespace ch04 {

/// Byte `k` of worker `worker`'s notes. The parent checks every byte, so a record
/// stitched together wrongly from partial reads cannot go unnoticed.
[[nodiscard]] char chatter_byte(unsigned worker, std::uint64_t k);

/// Sends `bytes` bytes of notes, in records of at most kMaxPayload.
void send_chatter(Sender& sender, unsigned worker, std::uint64_t bytes);

/// A worker's fault, if it was given one. It strikes early, after about 100,000
/// elements (or halfway through a smaller chunk), while the other workers are
/// still busy; in an empty chunk, at the end.
class FaultPlan {
 public:
  /// The fault `config` asks of worker number `worker`, with chunk `chunk`.
  FaultPlan(const Config& config, unsigned worker, ptut::Chunk chunk);
  /// Strikes, once, when the worker has reached element `next`.
  void strike_if_due(std::uint64_t next, Sender& sender);
  /// Strikes if it has not yet.
  void strike_if_pending(Sender& sender);

 private:
  void strike(Sender& sender);
  FaultKind kind_ = FaultKind::none;
  std::uint64_t at_ = 0;
};

}  // namespace ch04
