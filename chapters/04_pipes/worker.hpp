/// \file
/// \brief Chapter 4's worker side: the Sender that frames records into a pipe,
/// and the worker's body (run in the forked child).
#pragma once

#include <cstdint>
#include <vector>

#include "pipes.hpp"
#include "ptut/range.hpp"

namespace ch04 {

/// CLOCK_MONOTONIC in nanoseconds: one clock for every process of the run.
[[nodiscard]] std::uint64_t now_ns();

// [sender]
/// Frames records into one worker's pipe: a RecordHeader, then the payload.
class Sender {
 public:
  /// A sender for worker number `worker`, writing to `fd`.
  Sender(int fd, unsigned worker) : fd_(fd), worker_(worker) {}

  /// Header and payload go out in one write(): a record of at most PIPE_BUF
  /// (4096) bytes then enters the pipe whole. Only this worker writes to this
  /// pipe, so a longer note written in pieces cannot interleave with anything.
  /// \throws std::system_error if the pipe cannot take it (EPIPE: nobody reads).
  void send(RecordType type, const void* payload, std::uint32_t length);
  /// Writes bytes that need not be a record (a fault sends garbage this way).
  void write_raw(const void* data, std::size_t size);
  /// Nanoseconds spent inside write() so far: blocked on a full pipe, or preempted.
  [[nodiscard]] std::uint64_t write_ns() const { return write_ns_; }

 private:
  int fd_;
  unsigned worker_;
  std::uint32_t sequence_ = 0;
  std::uint64_t write_ns_ = 0;
  std::vector<char> buffer_;
};
// [sender]

/// Runs in the child: sums `chunk` and sends its records into `fd`. Returns the
/// child's exit status.
int worker_main(const Config& config, int fd, unsigned worker, ptut::Chunk chunk);

}  // namespace ch04
