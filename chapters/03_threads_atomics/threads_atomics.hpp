/// \file
/// \brief Chapter 3: the article's sum with threads. K `std::jthread`s share one
/// address space, so sharing is free, and so are the mistakes.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "ptut/cli.hpp"
#include "ptut/failure.hpp"
#include "ptut/machine.hpp"
#include "ptut/report.hpp"

/// Chapter 3: threads and atomics.
namespace ch03 {

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line
  /// Print every element as the threads add it, as the article's program does.
  /// Each thread then pauses 2 ms per element, so that they visibly interleave.
  bool show_steps = false;
  /// A 1-based thread that throws halfway through its chunk (0: none), to watch
  /// the exception carried to the caller.
  unsigned throwing_worker = 0;
  /// For tests: pretend that thread K (1-based) could not be started, as when the
  /// system runs out of threads (0: none).
  unsigned unstartable_worker = 0;
};

// [slots]
/// One thread's running total, packed: up to eight of them share one 64-byte cache
/// line (neighbours always do, since the array is at least 16-byte aligned).
struct PackedSlot {
  std::atomic<std::uint64_t> value{0};  ///< written by its own thread only
};

/// The same, alone on its cache line: alignas makes the struct 64 bytes long.
struct alignas(ptut::kCacheLine) PaddedSlot {
  std::atomic<std::uint64_t> value{0};  ///< written by its own thread only
};
static_assert(sizeof(PackedSlot) == 8 && sizeof(PaddedSlot) == ptut::kCacheLine);
// [slots]

/// A worker thread threw; what() names the thread and the exception's message.
/// Every thread has been joined by the time it is thrown.
using RunFailed = ptut::RunFailed;

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Runs the variant `config.options.variant` with `config.options.workers`
/// threads and returns their total.
/// \throws RunFailed if a thread throws.
[[nodiscard]] ptut::RunResult run(const Config& config);

}  // namespace ch03
