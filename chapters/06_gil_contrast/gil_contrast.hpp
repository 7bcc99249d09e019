/// \file
/// \brief Chapter 6: the article's sum on threads that take turns under a
/// GIL-like lock, in four modes, each timed with one thread and with K.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string_view>

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
  /// cpu, io, nogil: time the K tasks on one thread too, for the speedup (chapter 7,
  /// which times one thread as a run of its own, turns this off).
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

/// Runs the mode `config.options.variant` twice: the K workers' tasks done by one
/// thread, then by K threads. The result is the K-thread run (sum, seconds); its
/// extra has `one_thread_seconds`, `speedup` (one thread's time / K threads'),
/// `handoffs`, `drop_requests` and `overlapping_holders` of the K-thread run,
/// and for `convoy` `round_trips`, `round_trip_ms_alone` and `round_trip_ms`.
/// \throws BadConfig for `convoy` with fewer than two threads.
[[nodiscard]] ptut::RunResult run(const Config& config);

}  // namespace ch06
