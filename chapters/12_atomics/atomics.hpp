/// \file
/// \brief Chapter 12: the article's sum with counters and locks built from atomics
/// (counters.hpp, locks.hpp), and with C++20's latch, barrier and semaphore.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ptut/cli.hpp"
#include "ptut/failure.hpp"
#include "ptut/report.hpp"

namespace ch12 {

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line
  /// Print every element as the threads add it, as the article's program does
  /// (each thread then pauses 2 ms per element, so that they visibly interleave).
  bool show_steps = false;
  /// A 1-based thread that throws halfway through its work (0: none).
  unsigned throwing_worker = 0;
  /// For tests: pretend that thread K (1-based) could not be started (0: none).
  unsigned unstartable_worker = 0;
  /// statistical: how long the reader sleeps between two reads.
  std::chrono::microseconds read_every{1000};
  /// limit: elements per batch taken from the shared counter.
  std::uint64_t batch = 4096;
  /// barrier: how many phases each thread's chunk is cut into.
  unsigned phases = 8;
  /// semaphore: how many threads may sum at once (0: the cores this process may
  /// use, at most --workers).
  unsigned permits = 0;
};

/// What kind of variant ran, so that a report shows only the facts it has.
enum class Kind { counter, lock, phased, bounded };

/// A run's result: the sum, and what the variant's kind measures beside it.
struct Result : ptut::RunResult {
  Kind kind = Kind::counter;  ///< which of the facts below the variant measured
  /// statistical: reads the reader made while the threads ran (every read is at
  /// most the final total; reads never go backwards).
  std::uint64_t reads = 0;
  std::uint64_t last_read = 0;  ///< statistical: the reader's last read
  /// statistical: nanoseconds one read of every slot took (median of the reads).
  double ns_per_read = 0;
  /// limit: batches taken from the shared counter.
  std::uint64_t batches = 0;
  /// locks: acquisitions, one per element.
  std::uint64_t acquisitions = 0;
  /// locks: the longest any thread waited for the lock, counted in acquisitions by
  /// other threads between its request and its turn.
  std::uint64_t longest_wait = 0;
  /// locks: acquisitions by another thread than the one that held the lock last
  /// (the first acquisition counts as one): each moves the lock's cache line and
  /// the total's to another core.
  std::uint64_t handoffs = 0;
  /// barrier: the running total after each phase, as the completion step saw it.
  std::vector<std::uint64_t> phase_totals;
  /// semaphore: the permits.
  unsigned permits = 0;
  /// semaphore: the most threads seen summing at once.
  unsigned most_running = 0;
};

/// The chapter's own JSON keys (those of the variant's kind).
void to_json(nlohmann::json& json, const Result& result);

/// A thread threw, or could not start; what() names the thread.
using RunFailed = ptut::RunFailed;

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Runs `config.options.variant` with `config.options.workers` threads.
/// \throws RunFailed if a thread throws or cannot start.
[[nodiscard]] Result run(const Config& config);

/// Why `config` cannot run as asked, in one line naming the flag (empty: it can).
/// A ticket lock's threads spin in turn: with more threads than cores, the thread
/// whose turn it is may be waiting for a core, and every handoff waits for the
/// scheduler (seconds for a few thousand elements, for ever in effect for more).
[[nodiscard]] std::string refusal(const Config& config);

/// The number of permits a semaphore run uses for `config`.
[[nodiscard]] unsigned permits_for(const Config& config);

}  // namespace ch12
