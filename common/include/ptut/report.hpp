/// \file
/// \brief Reporting a run: a line for people, or one JSON object for programs.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "ptut/cli.hpp"

namespace ptut {

/// Runs with N up to this show every step as it happens, as the article's
/// program does; larger runs print a one-line summary.
inline constexpr std::uint64_t kStepByStepUpTo = 40;

/// How long a worker pauses after each step of a step-by-step run, so that the
/// workers visibly interleave instead of one finishing before the next starts.
inline constexpr std::chrono::milliseconds kStepPause{2};

/// What every chapter's run produced. A chapter with more to say derives its own
/// result from this one, with typed fields that its main prints from, and writes
/// them for `--json` with a `to_json` beside it: JSON is an output format only.
struct RunResult {
  std::uint64_t sum = 0;  ///< the total the variant computed
  double seconds = 0.0;   ///< wall time of the computation, not of start-up or printing
};

/// A chapter's own result: RunResult plus facts that its `to_json(nlohmann::json&,
/// const Result&)` writes as the chapter's keys of the `--json` object (only those:
/// run_json() writes the common ones). The to_json is left out of the concept on
/// purpose: a result without one fails to compile instead of quietly reporting as a
/// plain RunResult.
template <class Result>
concept ChapterResult =
    std::derived_from<Result, RunResult> && !std::same_as<Result, RunResult>;

/// The run's JSON object: `chapter`, `variant`, `n`, `workers`, `work`, `sum`,
/// `expected` and `lost` (decimal strings, exact in 64 bits), `correct`, `seconds`,
/// `ns_per_element` (null for a variant that visits no element, or N = 0), `machine`
/// (describe_machine(): a number without its machine means little), then the keys
/// of `facts` (an object; a key it shares with the common ones replaces it).
[[nodiscard]] nlohmann::json run_json(
    const ChapterSpec& spec, const Options& options, const RunResult& result,
    const nlohmann::json& facts = nlohmann::json::object());

/// The run's JSON object with a chapter's facts, written by the chapter's `to_json`,
/// merged into the common keys.
template <ChapterResult Result>
[[nodiscard]] nlohmann::json run_json(const ChapterSpec& spec, const Options& options,
                                      const Result& result) {
  return run_json(spec, options, static_cast<const RunResult&>(result),
                  nlohmann::json(result));
}

/// Prints one step of a small run, as the article prints `i, sumval.value` in each
/// process: `  <who>: i = <i>, <what> = <value>`. One write(2) per line, not stdio:
/// lines from different workers never mix, and a forked worker has no stdio
/// buffer to flush. Flush std::cout before the workers start, or its buffered
/// lines appear after theirs.
void print_step(std::string_view who, std::uint64_t i, std::string_view what,
                std::uint64_t value);

/// Writes `line` to the file descriptor `fd` with write(2), retrying a write that a
/// signal interrupted or cut short: one call per line, so that lines from
/// different threads or processes never mix. Gives up silently if `fd` is closed.
void write_line(int fd, std::string_view line);

/// "1 worker", "3 workers": a count with its noun, `one` or `many`.
[[nodiscard]] std::string counted(std::uint64_t count, std::string_view one,
                                  std::string_view many);

/// "1 + 2 + … + 20", "1 + 2 + 3", "1" or "the empty sum": the sum being computed.
[[nodiscard]] std::string sum_text(std::uint64_t n);

/// The one-line summary, e.g.
/// `loop: 1 + 2 + … + 20 = 210 (expected 210: correct) in 1.2 µs`.
[[nodiscard]] std::string summary_line(const Variant& variant, const Options& options,
                                       const RunResult& result);

/// Prints the run (JSON or the summary line, as `options.json` says) to `out` and
/// returns the exit status: 0, or 1 when a variant that claims to be exact got
/// a wrong sum, or when `out` could not be written; either is then named on `err`.
/// `facts`, an object, adds the chapter's keys to the JSON (see run_json()).
int report(const CommandLine& cli, const Options& options, const RunResult& result,
           std::ostream& out, std::ostream& err,
           const nlohmann::json& facts = nlohmann::json::object());

/// report() for a chapter's own result: its facts, written by its `to_json`, join
/// the JSON object; the summary line is the same as for any run.
template <ChapterResult Result>
int report(const CommandLine& cli, const Options& options, const Result& result,
           std::ostream& out, std::ostream& err) {
  return report(cli, options, static_cast<const RunResult&>(result), out, err,
                nlohmann::json(result));
}

}  // namespace ptut
