/// \file
/// \brief Chapter 6: the article's sum on threads that take turns under a
/// GIL-like lock, in four modes, each timed with one thread and with K.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/report.hpp"

/// Chapter 6: the GIL contrast.
namespace ch06 {

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line; the variant is the mode
  /// How long a thread waits for the lock before it asks the holder to drop it.
  std::chrono::nanoseconds switch_interval = std::chrono::milliseconds(5);
  /// `io`: how long each task blocks, with the lock released, before it sums.
  std::chrono::milliseconds block = std::chrono::milliseconds(500);
  /// `convoy`: request/response round trips the I/O thread makes.
  unsigned round_trips = 200;
  /// cpu, io, nogil: time chapter 1's loop and the K tasks on one thread too, for the
  /// speedups (chapter 7, which times both as runs of their own, turns this off).
  bool one_thread_baseline = true;
};

/// A configuration the modes cannot run (`convoy` with one thread).
class BadConfig : public std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// The chapter's command-line description and its modes.
[[nodiscard]] ptut::ChapterSpec spec();

/// Whether `mode` is convoy: one thread of round trips beside CPU-bound ones.
[[nodiscard]] bool is_convoy(std::string_view mode);

/// What convoy measures: the I/O thread's round trips alone and beside the others.
struct RoundTrips {
  unsigned count = 0;      ///< round trips the I/O thread made each time
  double ms_alone = 0.0;   ///< milliseconds per round trip with nobody to wait for
  double ms_beside = 0.0;  ///< milliseconds per round trip beside CPU-bound threads
};

/// What a run reports beyond its sum and time, which are the K-thread run's.
struct GilFacts : ptut::RunResult {
  std::uint64_t handoffs = 0;  ///< times the lock changed hands (K threads)
  std::uint64_t drop_requests =
      0;  ///< times a waiting thread asked the holder to drop it
  /// Times two threads held the lock at once, in both runs: anything but 0 is a bug.
  std::uint64_t overlapping_holders = 0;
  /// Seconds for the K tasks on one thread; absent when there was no such run.
  std::optional<double> one_thread_seconds;
  /// Seconds for chapter 1's loop over 1..N with the same --work, timed before the
  /// tasks: the baseline of every speedup (chapter 7); absent with no baseline runs.
  std::optional<double> loop_seconds;
  /// The loop's time over K threads': the speedup that says whether K threads are
  /// worth running at all.
  std::optional<double> speedup_vs_loop;
  /// One thread's time over K threads': what the lock does to K threads, beside
  /// the speedup over the loop, not instead of it.
  std::optional<double> speedup_vs_one_thread;
  std::optional<RoundTrips> round_trips;  ///< convoy's round trips; absent otherwise
};

/// The chapter's keys of `--json`: `handoffs`, `drop_requests`,
/// `overlapping_holders`, `loop_seconds`, `one_thread_seconds`, `speedup_vs_loop` and
/// `speedup_vs_one_thread` where measured, and for
/// `convoy` `round_trips`, `round_trip_ms_alone` and `round_trip_ms`.
void to_json(nlohmann::json& json, const GilFacts& facts);

/// Runs the mode `config.options.variant` twice: the K workers' tasks done by one
/// thread, then by K threads. The result's sum and seconds are the K-thread run's.
/// \throws BadConfig for `convoy` with fewer than two threads.
[[nodiscard]] GilFacts run(const Config& config);

}  // namespace ch06
