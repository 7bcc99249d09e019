/// \file
/// \brief The N × workers grid every chapter suite runs its variants over.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ptut::testing {

/// The N every suite checks: the empty sum, one and two elements (fewer than most
/// worker counts), the article's 20, a thousand, and a large N (the article's
/// 2,000,000 by default), where a race has time to show.
[[nodiscard]] inline std::vector<std::uint64_t> grid_ns(std::uint64_t large = 2'000'000) {
  return {0, 1, 2, 20, 1000, large};
}

/// Worker counts: one (no parallelism), the article's two, an odd count that does
/// not divide 20, and more workers than this 2-core machine has.
[[nodiscard]] inline std::vector<unsigned> grid_workers() {
  return {1, 2, 3, 8};
}

/// One point of the grid.
struct SumCase {
  std::uint64_t n = 0;
  unsigned workers = 1;
  unsigned work = 0;

  friend std::ostream& operator<<(std::ostream& out, const SumCase& c) {
    return out << "n=" << c.n << " workers=" << c.workers << " work=" << c.work;
  }
};

/// Every N of grid_ns(large) with every worker count of grid_workers(), so cases
/// with fewer elements than workers (N = 0, 1, 2 with K = 3 or 8) are included,
/// plus a small N with `work` rounds per element.
[[nodiscard]] inline std::vector<SumCase> sum_grid(std::uint64_t large = 2'000'000,
                                                   unsigned work = 4) {
  std::vector<SumCase> cases;
  for (std::uint64_t n : grid_ns(large)) {
    for (unsigned k : grid_workers()) cases.push_back({n, k, 0});
  }
  for (unsigned k : grid_workers()) cases.push_back({1000, k, work});
  return cases;
}

/// `n20_k3_w0`: a case as part of a test name.
[[nodiscard]] inline std::string case_text(const SumCase& c) {
  return "n" + std::to_string(c.n) + "_k" + std::to_string(c.workers) + "_w" +
         std::to_string(c.work);
}

/// Readable test names for INSTANTIATE_TEST_SUITE_P: `n20_k3_w0`.
[[nodiscard]] inline std::string case_name(
    const ::testing::TestParamInfo<SumCase>& info) {
  return case_text(info.param);
}

/// One variant at one point of the grid.
struct VariantCase {
  std::string variant;
  SumCase sum;
  friend void PrintTo(const VariantCase& c, std::ostream* out) {
    *out << c.variant << " " << c.sum;
  }
};

/// Every variant named, at every point of sum_grid(large).
[[nodiscard]] inline std::vector<VariantCase> variant_grid(
    const std::vector<std::string>& variants, std::uint64_t large = 2'000'000) {
  std::vector<VariantCase> cases;
  for (const std::string& variant : variants) {
    for (const SumCase& c : sum_grid(large)) cases.push_back({variant, c});
  }
  return cases;
}

/// Readable test names: `atomic_n20_k3_w0`.
[[nodiscard]] inline std::string variant_case_name(
    const ::testing::TestParamInfo<VariantCase>& info) {
  return info.param.variant + "_" + case_text(info.param.sum);
}

}  // namespace ptut::testing
