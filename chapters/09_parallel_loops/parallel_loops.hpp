/// \file
/// \brief Chapter 9: the sum as a parallel loop, written the way C++ programmers
/// write one at work: an OpenMP pragma, a standard algorithm with an execution
/// policy, a oneTBB call, and vector lanes within one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/range.hpp"
#include "ptut/report.hpp"
#include "ptut/work.hpp"

/// Chapter 9: parallel loops.
namespace ch09 {

/// What every element of one run costs, and how many threads run the loop.
struct Load {
  std::uint64_t n = 0;  ///< the loop runs over 1..n
  unsigned work = 0;    ///< `--work`: rounds of ptut::element per element
  /// `--skew`: element i costs `skew × (i − 1) / n` rounds more, as in chapter 5,
  /// so equal halves of the range are unequal work
  unsigned skew = 0;
  unsigned threads = 1;     ///< `--workers`
  std::uint64_t chunk = 0;  ///< `--chunk` for omp_dynamic (0: the default)
};

/// The rounds element i costs under `load`.
[[nodiscard]] inline unsigned rounds_at(std::uint64_t i, const Load& load) noexcept {
  // Marked likely: every run but --skew's takes this branch, and the loops that
  // call this should be laid out for it.
  if (load.skew == 0) [[likely]]
    return load.work;
  return load.work + static_cast<unsigned>(load.skew * (i - 1) / load.n);
}

/// The sum of elements [chunk.first, chunk.last) under `load`: chapter 1's loop,
/// ptut::sum_range, when every element costs the same.
[[nodiscard]] inline std::uint64_t sum_piece(ptut::Chunk chunk,
                                             const Load& load) noexcept {
  if (load.skew == 0) return ptut::sum_range(chunk, load.work);
  std::uint64_t sum = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last; ++i) {
    sum += ptut::element(i, rounds_at(i, load));
  }
  return sum;
}

/// What a loop reports: its sum, and how many threads it ran on, as seen from
/// inside (omp_get_num_threads() in the team, the arena's concurrency in oneTBB).
struct LoopResult {
  std::uint64_t sum = 0;  ///< the loop's total
  unsigned team = 0;      ///< threads in the team; 0 when no iteration saw it
};

/// `omp_dynamic`'s chunk when `--chunk` is not given: large enough that taking a
/// chunk costs little beside summing it, small enough that skewed work balances.
inline constexpr std::uint64_t kDefaultChunk = 1024;

/// \name The loops, one function each (omp_loops.cpp, tbb_loops.cpp, simd_loops.cpp,
/// scalar_loop.cpp): the sum of element i over 1..load.n, on load.threads threads.
/// @{

/// `#pragma omp parallel for reduction(+ : sum) schedule(static)`.
[[nodiscard]] LoopResult omp_for(const Load& load);
/// One shared total, `#pragma omp atomic` per element.
[[nodiscard]] LoopResult omp_atomic(const Load& load);
/// One shared total, `#pragma omp critical` per element.
[[nodiscard]] LoopResult omp_critical(const Load& load);
/// `schedule(dynamic, load.chunk)`: threads take chunks as they come free.
[[nodiscard]] LoopResult omp_dynamic(const Load& load);
/// The reduction clause forgotten: one shared total, loaded and stored (loses updates).
[[nodiscard]] LoopResult omp_racy(const Load& load);
/// `std::transform_reduce(std::execution::par, …)` over counting iterators, on oneTBB.
[[nodiscard]] LoopResult std_par(const Load& load);
/// The same with `std::execution::par_unseq`.
[[nodiscard]] LoopResult std_par_unseq(const Load& load);
/// The same over `std::views::iota`: exact, and serial (see the page).
[[nodiscard]] LoopResult std_par_iota(const Load& load);
/// Why this build has no std_par_iota (clang 14), or "".
[[nodiscard]] std::string iota_missing();
/// `tbb::parallel_reduce` over a `tbb::blocked_range`.
[[nodiscard]] LoopResult tbb_reduce(const Load& load);
/// One thread, `#pragma omp simd reduction(+ : sum)` over the lane kernel.
[[nodiscard]] LoopResult simd(const Load& load);
/// Threads and lanes: `#pragma omp for simd` over the lane kernel.
[[nodiscard]] LoopResult omp_for_simd(const Load& load);
/// simd's loop compiled without vectorisation, one thread.
[[nodiscard]] LoopResult scalar(const Load& load);
/// @}

/// Everything a run needs.
struct Config {
  ptut::Options options;    ///< the common command line
  unsigned skew = 0;        ///< `--skew`
  std::uint64_t chunk = 0;  ///< `--chunk` (omp_dynamic only; 0: kDefaultChunk)
};

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Why this build of the chapter cannot run `variant`, or "" when it can. clang 14
/// cannot compile libstdc++ 12's `std::views::iota`, so a build by it has no
/// std_par_iota; the command line refuses it with this reason (exit 2).
[[nodiscard]] std::string missing_from_this_build(const std::string& variant);

/// True for the variants that run on one thread whatever `--workers` says.
[[nodiscard]] bool one_thread(const std::string& variant);

/// True for the variant whose chunks `--chunk` sizes (omp_dynamic).
[[nodiscard]] bool takes_chunk(const std::string& variant);

/// What a run reports beyond its sum and time: the team that ran the loop and how
/// busy it kept the cores.
struct LoopFacts : ptut::RunResult {
  /// What `team` counts, in the output's words: an OpenMP team, oneTBB's arena or
  /// threads, since each library lets us see a different thing.
  std::string team_is;
  /// Threads in the team; none when no iteration saw it (a loop over nothing).
  std::optional<unsigned> team;
  unsigned skew = 0;  ///< `--skew`, so a JSON record says what was measured
  /// The chunk size used, for the variant that takes `--chunk` (omp_dynamic) only.
  std::optional<std::uint64_t> chunk;
  double cpu_seconds = 0.0;   ///< CPU time of the whole process during the loop
  double cpu_per_wall = 0.0;  ///< CPU time / wall time: both cores busy shows as about 2
};

/// The chapter's keys of `--json`: `team_is`, `team` (null when unseen), `skew`,
/// `chunk` (omp_dynamic only), `cpu_seconds` and `cpu_per_wall`.
void to_json(nlohmann::json& json, const LoopFacts& facts);

/// Runs the variant `config.options.variant`.
[[nodiscard]] LoopFacts run(const Config& config);

}  // namespace ch09
