/// \file
/// \brief Chapter 4: message passing. K forked workers share nothing; each sends
/// framed records to the parent through a pipe of its own, and the parent gathers
/// all pipes at once with Boost.Asio.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/process.hpp"
#include "ptut/report.hpp"

/// Chapter 4: pipes.
namespace ch04 {

// [record]
/// What a record carries.
enum class RecordType : std::uint16_t {
  step = 1,      ///< one element added (small runs): StepPayload
  progress = 2,  ///< how far the worker has got (about every 10 ms): ProgressPayload
  note = 3,      ///< free text, any length up to kMaxPayload (`--chatter`)
  result = 4,    ///< the worker's partial sum, its last record: ResultPayload
};

/// The fixed-size start of every record; `length` payload bytes follow it. Both
/// ends run on the same machine, so fields travel in the machine's byte order.
struct RecordHeader {
  std::uint32_t magic;     ///< kMagic: a reader that lost its place finds out at once
  std::uint16_t type;      ///< a RecordType
  std::uint16_t worker;    ///< the sender's worker number (1-based)
  std::uint32_t sequence;  ///< 0, 1, 2, … per worker: nothing lost, nothing repeated
  std::uint32_t length;    ///< payload bytes that follow, at most kMaxPayload
  std::uint64_t sent_ns;   ///< CLOCK_MONOTONIC at sending: how long it waited in the pipe
};
static_assert(sizeof(RecordHeader) == 24,
              "no padding: the header is sent as it is laid out");

/// "PTC4" in little-endian memory
inline constexpr std::uint32_t kMagic = 0x34435450;
/// the largest payload accepted
inline constexpr std::uint32_t kMaxPayload = 1024 * 1024;

/// The payload of a RecordType::step record.
struct StepPayload {
  std::uint64_t i;        ///< the element just added
  std::uint64_t partial;  ///< the worker's partial sum after adding it
};
/// The payload of a RecordType::progress record.
struct ProgressPayload {
  std::uint64_t done;  ///< elements of its chunk finished so far
};
/// The payload of a RecordType::result record.
struct ResultPayload {
  std::uint64_t partial;   ///< the sum of the worker's chunk
  std::uint64_t elements;  ///< how many elements it added (its chunk's size)
  /// time it spent inside write(): blocked on a full pipe, or preempted
  std::uint64_t write_ns;
};
// [record]

/// Why a header is not a record worker `worker` may send as its `sequence`-th,
/// or std::nullopt when it is one.
[[nodiscard]] std::optional<std::string> check_header(const RecordHeader& header,
                                                      unsigned worker,
                                                      std::uint32_t sequence);

/// Writes all `size` bytes to `fd`, however many write() calls it takes (a pipe
/// takes at most its free space at a time) and retrying after EINTR. Adds the
/// time spent inside write() to `*write_ns` if given. Returns 0, or the errno
/// that stopped it (EPIPE: nobody reads the pipe any more).
int write_all(int fd, const void* data, std::size_t size,
              std::uint64_t* write_ns = nullptr);

/// A failure to inject into one worker, to watch the parent cope with it. It
/// strikes after about 100,000 elements of the worker's chunk (halfway through a
/// smaller one; at once in an empty one).
enum class FaultKind {
  none,     ///< no fault
  kill,     ///< the worker kills itself with SIGKILL
  early,    ///< the worker exits with status 0 without sending its result
  garbage,  ///< the worker writes 24 bytes that are not a record, then carries on
  hang,     ///< the worker stops sending and waits for ever
};

/// What `--fault WORKER:KIND` takes for KIND.
inline constexpr ptut::Named<FaultKind> kFaultKinds[] = {{"kill", FaultKind::kill},
                                                         {"early", FaultKind::early},
                                                         {"garbage", FaultKind::garbage},
                                                         {"hang", FaultKind::hang}};

/// Which worker fails (1-based; 0 for none), and how.
using Fault = ptut::Fault<FaultKind>;

/// A classic mistake, made on purpose so that the page can show what it does.
enum class Mistake {
  none,            ///< every process closes the pipe ends it does not use
  keep_write_end,  ///< the parent keeps each pipe's write end open: no end-of-file ever
};

/// What `--mistake` takes.
inline constexpr ptut::Named<Mistake> kMistakes[] = {
    {"none", Mistake::none}, {"keep-write-end", Mistake::keep_write_end}};

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line; variant `asio` or `sequential`
  Fault fault;            ///< a failure to inject, if any
  Mistake mistake = Mistake::none;  ///< a mistake to make on purpose, if any
  /// Send a step record per element, as the article prints each step; each worker
  /// then pauses 2 ms per element so that the workers visibly run side by side.
  bool show_steps = false;
  /// This worker (1-based; 0 for none) pauses 20 ms per element instead: a slow
  /// worker, to show what reading the pipes one after another does to the others.
  unsigned slow_worker = 0;
  /// Every worker also sends this many bytes of text in note records before its
  /// result, to try records larger than PIPE_BUF and pipes that fill up.
  std::uint64_t chatter_bytes = 0;
  /// Seconds a worker may go without sending a record (while the parent reads its
  /// pipe) before it counts as hung and the run stops.
  double hang_timeout = 5.0;
};

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// What the parent saw of one worker's pipe.
struct PipeFacts {
  unsigned worker = 0;           ///< 1-based
  pid_t pid = 0;                 ///< its process
  std::uint64_t records = 0;     ///< records received
  std::uint64_t bytes = 0;       ///< bytes received
  std::uint64_t note_bytes = 0;  ///< note bytes received (`--chatter`)
  /// The longest a record waited in the pipe, in milliseconds: reading one pipe at a
  /// time shows here as the other workers' records waiting.
  double longest_wait_ms = 0.0;
  double in_write_ms = 0.0;   ///< the worker's time inside write(), in milliseconds
  std::uint64_t partial = 0;  ///< its result record's sum
};

/// What a run reports beyond its sum and time: each worker's pipe, worker 1 first.
struct PipesFacts : ptut::RunResult {
  std::vector<PipeFacts> pipes;  ///< one per worker, in worker order
};

/// The chapter's keys of `--json`: `partials` (each worker's, as decimal strings:
/// exact in 64 bits, unlike a JSON number read as a double) and `pipes` (`worker`,
/// `pid`, `records`, `bytes`, `note_bytes`, `longest_wait_ms` and `in_write_ms`).
void to_json(nlohmann::json& json, const PipesFacts& facts);

/// Runs `config.options.workers` forked workers and gathers their records.
/// Small runs print each step as it arrives.
/// \throws ptut::RunFailed if a worker dies, sends a malformed record, ends
/// without its result or hangs, or a stop signal arrives.
[[nodiscard]] PipesFacts run(const Config& config);

}  // namespace ch04
