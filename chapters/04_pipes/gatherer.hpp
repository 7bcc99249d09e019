/// \file
/// \brief Chapter 4's parent side: one Asio event loop that reads every worker's
/// pipe, catches SIGCHLD and the stop signals, and keeps a clock for hung
/// workers (the clock's checks are in watch.cpp).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipes.hpp"
#include "ptut/asio.hpp"
#include "ptut/process.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"

namespace ch04 {

/// What the parent knows about one worker.
struct Channel {
  /// Worker number `worker_number`, summing `work`, whose pipe's read end is `read_end`.
  Channel(unsigned worker_number, ptut::Chunk work,
          boost::asio::posix::stream_descriptor read_end)
      : worker(worker_number), chunk(work), pipe(std::move(read_end)) {}

  unsigned worker;                             ///< 1-based
  ptut::Chunk chunk;                           ///< what it sums
  boost::asio::posix::stream_descriptor pipe;  ///< the read end
  pid_t pid = 0;                               ///< its process
  RecordHeader header{};                       ///< the record being read
  std::vector<char> payload;                   ///< its payload
  std::uint32_t next_sequence = 0;             ///< the number the next record must carry

  /// the parent has started reading this pipe
  bool turn_started = false;
  /// end-of-file: every write end closed, all read
  bool pipe_ended = false;
  /// the pipe ended inside a record: what was missing
  std::string truncated;
  /// how the worker process ended, once reaped
  std::optional<ptut::ChildEnd> process_end;
  std::optional<std::uint64_t> partial;  ///< its result record's sum, once received
  /// parent's clock: the last bytes read, or its turn's start
  double last_heard = 0;
  /// parent's clock: end-of-file or exit, whichever came first
  double first_end_at = 0;

  std::uint64_t records = 0;          ///< records received
  std::uint64_t bytes = 0;            ///< bytes received
  std::uint64_t note_bytes = 0;       ///< note bytes received (--chatter)
  std::uint64_t done = 0;             ///< elements done, as its last progress record said
  std::uint64_t write_ns = 0;         ///< its time inside write(), from its result
  std::uint64_t longest_wait_ns = 0;  ///< the longest a record waited in the pipe

  /// "worker 2 (pid 4711)".
  [[nodiscard]] std::string who() const {
    return "worker " + std::to_string(worker) + " (pid " + std::to_string(pid) + ")";
  }
};

// [gatherer]
/// The parent's event loop: every pipe read at once (or one after another, for
/// `sequential`), each worker's story settled once both its pipe and its
/// process have ended, the first failure ending the run.
class Gatherer {
 public:
  /// How long a pipe may stay open after its worker exited, or a worker live on
  /// after closing its pipe, once everything in the pipe has been read. Either
  /// takes microseconds when all is well.
  static constexpr double kGrace = 1.0;

  /// A loop over `channels`, reading them all at once or `one_pipe_at_a_time`,
  /// with `signals` catching SIGCHLD and the stop signals.
  Gatherer(const Config& config, bool one_pipe_at_a_time, ptut::ChildProcesses& children,
           boost::asio::io_context& io, boost::asio::signal_set& signals,
           std::vector<Channel>& channels);

  /// Starts reading (io.run() then runs the loop until every worker is settled).
  void start();
  /// Why the run failed, or std::nullopt.
  [[nodiscard]] const std::optional<std::string>& failure() const { return failure_; }
  /// The stop signal that interrupted the run, or 0.
  [[nodiscard]] int interrupted() const { return interrupted_; }

 private:
  void read_header(Channel& channel);
  void read_payload(Channel& channel);
  void on_record(Channel& channel);
  void on_eof(Channel& channel, std::size_t got, const char* inside);
  void on_read_error(Channel& channel, boost::system::error_code error);
  void wait_for_signal();
  void on_exit(Channel& channel, const ptut::ChildEnd& end);
  void settle(Channel& channel);
  void finish_if_done();
  void tick();
  void fail(const std::string& what);

  const Config& config_;
  bool one_pipe_at_a_time_;
  ptut::ChildProcesses& children_;
  boost::asio::io_context& io_;
  boost::asio::signal_set& signals_;
  boost::asio::steady_timer tick_;
  // a worker died of a stop signal: did the parent get it too?
  boost::asio::steady_timer stop_verdict_;
  bool stop_verdict_pending_ = false;
  std::vector<Channel>& channels_;
  ptut::WatchdogClock clock_;
  ptut::Progress progress_;
  std::optional<std::string> failure_;
  int interrupted_ = 0;
};
// [gatherer]

}  // namespace ch04
