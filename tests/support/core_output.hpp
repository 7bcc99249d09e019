/// \file
/// \brief What a core listing (chapters/NN_topic/core.cpp) prints, checked: one
/// line per part of the work, each with the right partial sum, and the total.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>

#include "oracle.hpp"
#include "ptut/range.hpp"

namespace ptut::testing {

/// Checks a core's stdout: `parts` lines "worker|thread|rank W …: FIRST..LAST,
/// partial sum P" (or ": nothing, partial sum 0") whose sums are right and add up
/// to N(N + 1)/2, and one line "sum = S (expected S)" (the last one, but for MPI
/// ranks, whose lines mpirun forwards in whatever order it reads them). Other
/// lines are let through.
inline void expect_core_output(const std::string& out, std::uint64_t n, unsigned parts) {
  const std::regex part(R"((?:worker|thread|rank) \d+[^:]*: )"
                        R"((?:nothing|(\d+)\.\.(\d+)), partial sum (\d+))");
  const std::string expected = std::to_string(expected_sum(n));
  unsigned seen = 0;
  std::uint64_t total = 0;
  std::uint64_t elements = 0;
  unsigned sum_lines = 0;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end - start);
    start = end == std::string::npos ? out.size() : end + 1;
    if (line == "sum = " + expected + " (expected " + expected + ")") ++sum_lines;
    std::smatch match;
    if (!std::regex_match(line, match, part)) continue;
    ++seen;
    const std::uint64_t partial = std::stoull(match[3]);
    if (match[1].matched) {
      const Chunk chunk{std::stoull(match[1]), std::stoull(match[2]) + 1};
      EXPECT_EQ(partial, expected_sum(chunk)) << line;
      elements += chunk.size();
    } else {
      EXPECT_EQ(partial, 0u) << line;
    }
    total += partial;
  }
  EXPECT_EQ(seen, parts) << out;
  EXPECT_EQ(elements, n) << "the parts must cover 1.." << n << " once:\n" << out;
  EXPECT_EQ(std::to_string(total), expected) << out;
  EXPECT_EQ(sum_lines, 1u) << out;
}

}  // namespace ptut::testing
