// Chapter 9's committed reference tables must show what the page says they show.
// Nothing is timed here: the test reads the published figures
// (chapters/09_parallel_loops/reference/, written by the target reference_tables),
// so the page and its data cannot drift apart.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "page_claims.hpp"

namespace {

using ptut::testing::numbers_in;
using ptut::testing::page_claim;

nlohmann::json reference(const std::string& table) {
  std::ifstream file(PTUT_SOURCE_DIR "/chapters/09_parallel_loops/reference/" + table +
                     ".json");
  EXPECT_TRUE(file) << "no reference table " << table;
  return file ? nlohmann::json::parse(file) : nlohmann::json::object();
}

// A ratio as the table prints it ("1.98×"): the number the reader divides.
double ratio(const nlohmann::json& figures, const std::string& text) {
  const std::string key = "ratio::" + text;
  if (!figures.contains(key)) {
    ADD_FAILURE() << "the reference has no ratio '" << text << "'";
    return std::nan("");
  }
  return std::stod(figures[key].get<std::string>());
}

// Static scheduling of work rising linearly along the range gives the second of
// two threads three times the extra rounds of the first: a balanced schedule is
// at most 1.5 times as fast for that reason. The one-thread ratio is what else
// differs between the two loops; the two-thread ratio over it must stay within
// the balancing bound, or the page's explanation does not hold.
TEST(Ch09Reference, SkewRatioIsBalancingTimesTheLoopsOwnDifference) {
  const nlohmann::json skew = reference("skew");
  const double two_threads = ratio(skew, "omp_for / omp_dynamic at --skew 32 (time)");
  const double one_thread =
      ratio(skew, "omp_for / omp_dynamic at --skew 32, one thread (time)");
  const std::vector<double> claimed =
      numbers_in(page_claim("09_parallel_loops", "ch09_skew_balance"));
  ASSERT_EQ(claimed.size(), 2U);
  EXPECT_NEAR(two_threads / one_thread, claimed[0], 0.005);
  EXPECT_DOUBLE_EQ(claimed[1], 1.5);
  EXPECT_LE(two_threads / one_thread, claimed[1]);
}

}  // namespace
