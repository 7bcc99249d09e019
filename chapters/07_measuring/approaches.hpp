/// \file
/// \brief Chapter 7: every approach of chapters 1 to 6, chapter 8's MPI job and
/// chapter 9's parallel loops when they were built, callable the same way, so one driver
/// can time them all with the code the chapters themselves run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ptut/report.hpp"

namespace ch07 {

/// How an approach's workers share the result, which decides how it scales.
enum class Sharing {
  serial,       ///< no workers: chapter 1's loop, the baseline
  per_element,  ///< every element updates shared state (a lock or an atomic): contention
  partials,     ///< each worker sums its own chunk and hands over one number
  serialized,   ///< threads that must hold one lock to run (chapter 6's GIL)
};

/// One approach: a chapter and one of its variants.
struct Approach {
  std::string name;         ///< e.g. "ch02.partials": the chapter, a dot, the variant
  std::string chapter;      ///< the chapter's executable, e.g. "ch02_fork_shared_memory"
  std::string variant;      ///< the variant (or mode) the chapter runs
  std::string workers_are;  ///< "threads", "processes", or "" for the serial loop
  Sharing sharing = Sharing::partials;  ///< what the workers share
  /// Runs the chapter's own code once (no output) and returns what it computed
  /// and the chapter's own time for it: from starting the first worker to
  /// having the total (set-up such as creating shared memory is left out).
  /// Empty for an approach this build cannot run (chapter 8 without MPI,
  /// chapter 9 without OpenMP and oneTBB).
  std::function<ptut::RunResult(std::uint64_t n, unsigned workers, unsigned work)> run;
  /// Why `run` is empty, and what to install: the line a reader sees.
  std::string missing;
};

/// The approach every other is compared with: chapter 1's serial loop.
inline constexpr const char* kBaseline = "ch01.loop";
/// What `--approach` takes for every approach of the registry, one after another.
inline constexpr const char* kEveryApproach = "all";

/// Every approach, in chapter order. The deliberately racy variants are left
/// out (a wrong answer fast is not an answer), and so are the formula, and
/// chapter 6's io and convoy modes, which measure something other than the sum.
[[nodiscard]] const std::vector<Approach>& approaches();

/// The approach called `name`.
/// \throws std::invalid_argument if there is none.
[[nodiscard]] const Approach& find_approach(const std::string& name);

/// "serial", "per element", "partials" or "serialized".
[[nodiscard]] std::string to_string(Sharing sharing);

}  // namespace ch07
