/// \file
/// \brief Checks on what a chapter program printed.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "oracle.hpp"
#include "runner.hpp"

namespace ptut::testing {

/// Runs `program` with `args` and `--json`, expects a clean run (exit 0, nothing on
/// stderr, one line on stdout) and returns the object it printed; null when the
/// run failed (the expectations say how).
[[nodiscard]] inline nlohmann::json run_chapter_json(
    const std::string& program, std::vector<std::string> args,
    std::chrono::milliseconds timeout = std::chrono::seconds(50)) {
  args.push_back("--json");
  const auto r = run_chapter(program, args, timeout);
  EXPECT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out_lines().size(), 1u) << r.out;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

/// How many lines match `step`, by its first group (a worker's number): the
/// step-by-step lines each worker printed.
[[nodiscard]] inline std::map<int, int> step_counts(const std::vector<std::string>& lines,
                                                    const std::regex& step) {
  std::map<int, int> counts;
  for (const std::string& line : lines) {
    std::smatch match;
    if (std::regex_match(line, match, step)) ++counts[std::stoi(match[1])];
  }
  return counts;
}

/// A racy run's --json must add up: `lost` is what is missing from the sum, and
/// `correct` says whether anything is.
inline void expect_consistent_racy_report(const nlohmann::json& json, std::uint64_t n) {
  const std::uint64_t sum = std::stoull(json["sum"].get<std::string>());
  EXPECT_EQ(std::stoull(json["lost"].get<std::string>()), expected_sum(n) - sum);
  EXPECT_EQ(json["correct"], sum == expected_sum(n));
}

}  // namespace ptut::testing
