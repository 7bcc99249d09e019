/// \file
/// \brief What chapter 4's full program adds to a worker to try the parent: a
/// fault on request (--fault), and notes of any length (--chatter).
#pragma once

#include <cstdint>

#include "pipes.hpp"
#include "ptut/fault.hpp"
#include "ptut/range.hpp"
#include "worker.hpp"

namespace ch04 {

/// Byte `k` of worker `worker`'s notes. The parent checks every byte, so a record
/// stitched together wrongly from partial reads cannot go unnoticed.
[[nodiscard]] char chatter_byte(unsigned worker, std::uint64_t k);

/// Sends `bytes` bytes of notes, in records of at most kMaxPayload.
void send_chatter(Sender& sender, unsigned worker, std::uint64_t bytes);

/// Elements into its chunk at which a worker's fault strikes at the latest: early,
/// while the other workers are still busy (a smaller chunk: halfway).
inline constexpr std::uint64_t kFaultAtMost = 100'000;

/// What a worker's fault does once ptut::FaultPlan says it is due: die by SIGKILL,
/// exit cleanly with no result, write 24 bytes that are not a record and carry
/// on, or hang (send nothing more, until the parent kills it).
void strike(FaultKind kind, Sender& sender);

}  // namespace ch04
