#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <sstream>
#include <thread>

#include "ptut/report.hpp"
#include "ptut/timing.hpp"

namespace {

ptut::ChapterSpec spec() {
  return {.target = "chXX_demo",
          .title = "demo",
          .about = "",
          .variants = {{"racy", "loses updates", false}, {"partials", "exact", true}},
          .default_variant = "partials",
          .has_workers = true,
          .no_workers_reason = ""};
}

ptut::Options options(std::uint64_t n, const std::string& variant, bool json) {
  ptut::Options o;
  o.n = n;
  o.variant = variant;
  o.json = json;
  return o;
}

struct Reported {
  int status = -1;
  std::string out;
  std::string err;
};

Reported report(const ptut::Options& o, std::uint64_t sum) {
  ptut::CommandLine cli(spec());
  ptut::RunResult result;
  result.sum = sum;
  result.seconds = 0.25;
  std::ostringstream out;
  std::ostringstream err;
  const int status = ptut::report(cli, o, result, out, err);
  return {status, out.str(), err.str()};
}

TEST(Report, JsonHasTheContractsKeysAsOneLine) {
  const Reported r = report(options(2'000'000, "partials", true), 2'000'001'000'000);
  EXPECT_EQ(r.status, ptut::kExitOk);
  ASSERT_EQ(r.out.find('\n'), r.out.size() - 1) << "one JSON object on one line";
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["chapter"], "chXX_demo");
  EXPECT_EQ(json["variant"], "partials");
  EXPECT_EQ(json["n"], 2'000'000);
  EXPECT_EQ(json["workers"], 2);
  EXPECT_EQ(json["work"], 0);
  EXPECT_EQ(json["sum"], "2000001000000");
  EXPECT_EQ(json["expected"], "2000001000000");
  EXPECT_EQ(json["lost"], "0");
  EXPECT_EQ(json["correct"], true);
  EXPECT_DOUBLE_EQ(json["seconds"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(json["ns_per_element"].get<double>(), 0.25e9 / 2'000'000);
  EXPECT_TRUE(json["machine"]["compiler"].is_string());
}

TEST(Report, ARacyVariantReportsWhatItLostAndSucceeds) {
  const Reported r = report(options(2'000'000, "racy", true), 1'315'403'788'312);
  EXPECT_EQ(r.status, ptut::kExitOk);
  EXPECT_EQ(r.err, "");
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["correct"], false);
  EXPECT_EQ(json["lost"], "684597211688");
  const Reported line = report(options(2'000'000, "racy", false), 1'315'403'788'312);
  EXPECT_NE(line.out.find("lost 684597211688, 34.2% of the total"), std::string::npos)
      << line.out;
}

TEST(Report, AnExactVariantWithAWrongSumFails) {
  const Reported r = report(options(20, "partials", false), 211);
  EXPECT_EQ(r.status, ptut::kExitFailed);
  EXPECT_NE(r.out.find("WRONG, 1 too much"), std::string::npos) << r.out;
  EXPECT_EQ(r.err,
            "chXX_demo: variant partials claims an exact sum but returned 211 instead of "
            "210\n");
  EXPECT_EQ(nlohmann::json::parse(report(options(20, "partials", true), 211).out)["lost"],
            "-1");
}

TEST(Report, SummaryLineForPeople) {
  const Reported r = report(options(20, "partials", false), 210);
  EXPECT_EQ(
      r.out,
      "partials, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in 250 ms\n");
}

// A chapter's own result, as a chapter derives it: typed facts, and a to_json that
// writes them as the chapter's keys.
struct DemoResult : ptut::RunResult {
  unsigned lock_handoffs = 0;
};

void to_json(nlohmann::json& json, const DemoResult& result) {
  json = {{"lock_handoffs", result.lock_handoffs}};
}

TEST(Report, AChaptersFactsGoIntoTheJson) {
  ptut::CommandLine cli(spec());
  DemoResult result;
  result.sum = 210;
  result.lock_handoffs = 3;
  std::ostringstream out;
  std::ostringstream err;
  (void)ptut::report(cli, options(20, "partials", true), result, out, err);
  const auto json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["lock_handoffs"], 3);
  EXPECT_EQ(json["sum"], "210");
}

TEST(Report, AChaptersFactsLeaveTheSummaryLineAlone) {
  ptut::CommandLine cli(spec());
  DemoResult result;
  result.sum = 210;
  result.seconds = 0.25;
  result.lock_handoffs = 3;
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(ptut::report(cli, options(20, "partials", false), result, out, err),
            ptut::kExitOk);
  EXPECT_EQ(
      out.str(),
      "partials, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: correct) in 250 ms\n");
}

TEST(FormatSeconds, PicksAReadableUnit) {
  EXPECT_EQ(ptut::format_seconds(850e-9), "850 ns");
  EXPECT_EQ(ptut::format_seconds(12.3e-6), "12.3 µs");
  EXPECT_EQ(ptut::format_seconds(4.56e-3), "4.56 ms");
  EXPECT_EQ(ptut::format_seconds(2.5), "2.500 s");
}

}  // namespace

// The process's CPU time grows with work its threads do, and not while it sleeps.
TEST(ProcessCpuSeconds, CountsWorkNotSleep) {
  const double before = ptut::process_cpu_seconds();
  volatile std::uint64_t sink = 0;
  const ptut::Stopwatch stopwatch;
  while (ptut::process_cpu_seconds() - before < 0.05 && stopwatch.seconds() < 20) {
    sink = sink + 1;
  }
  const double after_work = ptut::process_cpu_seconds();
  EXPECT_GE(after_work - before, 0.05);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_LT(ptut::process_cpu_seconds() - after_work, 0.1);  // a sleep costs no CPU
}
