// Chapter 7's arithmetic, on timings made up so that every answer is known.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <stdexcept>

#include "measuring.hpp"
#include "statistics.hpp"

namespace {

using namespace ch07;

TEST(Ch07Spread, MedianOfAnOddCountIsTheMiddleOneWhateverTheOrder) {
  const Spread s = spread_of({0.3, 0.1, 0.9, 0.2, 0.25});
  EXPECT_DOUBLE_EQ(s.median, 0.25);
  EXPECT_DOUBLE_EQ(s.min, 0.1);
  EXPECT_DOUBLE_EQ(s.max, 0.9);
  EXPECT_DOUBLE_EQ(s.relative(), 0.8 / 0.25);
}

TEST(Ch07Spread, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  EXPECT_DOUBLE_EQ(spread_of({4.0, 1.0, 3.0, 2.0}).median, 2.5);
  EXPECT_DOUBLE_EQ(spread_of({7.0}).median, 7.0);
}

TEST(Ch07Spread, OneDisturbedRunDoesNotMoveTheMedian) {
  EXPECT_DOUBLE_EQ(spread_of({1.0, 1.0, 50.0}).median, 1.0);
}

TEST(Ch07Spread, RefusesNothingNegativeAndNotANumber) {
  EXPECT_THROW((void)spread_of({}), std::invalid_argument);
  EXPECT_THROW((void)spread_of({1.0, -0.5}), std::invalid_argument);
  EXPECT_THROW((void)spread_of({std::nan("")}), std::invalid_argument);
}

TEST(Ch07Speedup, IsBaselineOverTimeAndEfficiencyIsPerWorker) {
  EXPECT_DOUBLE_EQ(speedup(2.0, 1.0), 2.0);
  EXPECT_DOUBLE_EQ(speedup(1.0, 4.0), 0.25);
  EXPECT_DOUBLE_EQ(efficiency(1.8, 2), 0.9);
  EXPECT_THROW((void)speedup(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW((void)speedup(1.0, 0.0), std::invalid_argument);
  EXPECT_THROW((void)efficiency(1.0, 0), std::invalid_argument);
}

TEST(Ch07KarpFlatt, PerfectSpeedupMeansNoSerialPartAndNoSpeedupMeansAllSerial) {
  EXPECT_NEAR(*karp_flatt(2.0, 2), 0.0, 1e-12);
  EXPECT_NEAR(*karp_flatt(4.0, 4), 0.0, 1e-12);
  EXPECT_NEAR(*karp_flatt(1.0, 2), 1.0, 1e-12);
  EXPECT_NEAR(*karp_flatt(1.0, 4), 1.0, 1e-12);
  // 1.8 on 2: (1/1.8 − 1/2) / (1 − 1/2) = 1/9.
  EXPECT_NEAR(*karp_flatt(1.8, 2), 1.0 / 9, 1e-12);
  // Slower than one worker: more than all of it serial.
  EXPECT_GT(*karp_flatt(0.5, 2), 1.0);
  EXPECT_FALSE(karp_flatt(1.0, 1).has_value());
  EXPECT_FALSE(karp_flatt(0.0, 2).has_value());
}

TEST(Ch07KarpFlatt, IsTheInverseOfAmdahlsLaw) {
  for (const double e : {0.0, 0.01, 0.1, 0.5, 1.0}) {
    for (const unsigned p : {2U, 3U, 4U, 16U}) {
      const double s = amdahl_speedup(e, p);
      EXPECT_NEAR(*karp_flatt(s, p), e, 1e-12) << "e = " << e << ", p = " << p;
    }
  }
  EXPECT_DOUBLE_EQ(amdahl_speedup(0.0, 4), 4.0);
  EXPECT_DOUBLE_EQ(amdahl_speedup(1.0, 4), 1.0);
  EXPECT_NEAR(amdahl_speedup(0.1, 4), 1 / (0.1 + 0.9 / 4), 1e-12);
}

TEST(Ch07Crossover, IsWhereTwoWorkersStartWinningForGood) {
  // A lucky win at 10^3, losses at 10^4 and 10^5, wins from 10^6 on.
  const std::vector<Pair> pairs = {{1'000, 1.0, 0.9},
                                   {10'000, 1.0, 1.2},
                                   {100'000, 1.0, 1.0},
                                   {1'000'000, 1.0, 0.6},
                                   {10'000'000, 1.0, 0.5}};
  EXPECT_EQ(crossover(pairs), 1'000'000u);
}

TEST(Ch07Crossover, OrderOfInputDoesNotMatter) {
  const std::vector<Pair> pairs = {
      {10'000'000, 1.0, 0.5}, {1'000, 1.0, 2.0}, {1'000'000, 1.0, 0.6}};
  EXPECT_EQ(crossover(pairs), 1'000'000u);
}

TEST(Ch07Crossover, NoneWhenOneWorkerStillWinsAtTheLargestN) {
  EXPECT_FALSE(crossover({{1'000, 1.0, 0.5}, {10'000, 1.0, 1.5}}).has_value());
  EXPECT_FALSE(crossover({}).has_value());
  EXPECT_FALSE(crossover({{1'000, 1.0, 1.0}}).has_value()) << "a tie is not a win";
  EXPECT_FALSE(crossover({{1'000, 1.0, 0.97}}).has_value())
      << "nor is 3%, within a run's scatter";
  EXPECT_EQ(crossover({{1'000, 1.0, 0.94}}), 1'000u) << "6% is";
  EXPECT_EQ(crossover({{1'000, 1.0, 0.5}, {10'000, 1.0, 0.4}}), 1'000u);
}

// A dataset made up: serial 1 ns an element; partials with 1 ms of start-up on
// one worker, 2 ms on two, so that two win only from N = 10^7.
Dataset made_up() {
  Dataset d;
  d.grid.name = "made-up";
  d.grid.ns = {1'000, 1'000'000, 10'000'000};
  d.grid.workers = {1, 2};
  d.grid.works = {0};
  d.grid.approaches = {"ch01.loop", "ch03.partials", "ch02.locked"};
  d.machine = {{"cpu_model", "Test CPU"}, {"usable_cores", 2}};
  d.measured_at = "2026-01-01T00:00:00Z";
  for (const std::uint64_t n : d.grid.ns) {
    const double serial = static_cast<double>(n) * 1e-9;
    d.points.push_back(
        {"ch01.loop", n, 1, 0, {serial, serial * 1.1, serial * 0.9}, {}, {}});
    d.points.push_back({"ch03.partials", n, 1, 0, {serial + 1e-3}, {}, {}});
    d.points.push_back({"ch03.partials", n, 2, 0, {serial / 2 + 2e-3}, {}, {}});
  }
  // ch02.locked has its loop timed beside it, slower than the loop's own runs.
  d.points.push_back({"ch02.locked", 1'000, 1, 0, {1e-3}, {2e-6, 2e-6, 4e-6}, {}});
  d.points.push_back({"ch02.locked", 1'000, 2, 0, {3e-3}, {2e-6, 2e-6, 4e-6}, {}});
  d.points.push_back({"ch02.locked",
                      1'000'000,
                      1,
                      0,
                      {},
                      {},
                      "estimated 1 s a run, over the budget of 100 ms"});
  d.points.push_back({"ch02.locked",
                      1'000'000,
                      2,
                      0,
                      {},
                      {},
                      "estimated 3 s a run, over the budget of 100 ms"});
  return d;
}

TEST(Ch07AddPoints, AnAddedApproachReplacesItsPointsAndTakesItsPlaceInChapterOrder) {
  Dataset added;
  added.grid = made_up().grid;
  added.grid.approaches = {"ch02.partials"};
  added.measured_at = "2026-01-02T00:00:00Z";
  added.points.push_back({"ch02.partials", 1'000, 1, 0, {1e-3}, {1e-6}, {}});
  // not the added approach: left out
  added.points.push_back({"ch01.loop", 1'000, 1, 0, {1e-6}, {}, {}});
  Dataset merged = add_points(made_up(), added);
  EXPECT_EQ(merged.grid.approaches,
            (std::vector<std::string>{"ch01.loop", "ch02.locked", "ch02.partials",
                                      "ch03.partials"}));
  EXPECT_EQ(merged.points.size(), made_up().points.size() + 1);
  EXPECT_EQ(merged.points.back().approach, "ch02.partials");
  EXPECT_EQ(merged.measured_at,
            "2026-01-01T00:00:00Z; ch02.partials added 2026-01-02T00:00:00Z");

  // Added again: its points are replaced, not doubled.
  added.points.front().seconds = {2e-3};
  merged = add_points(merged, added);
  EXPECT_EQ(merged.points.size(), made_up().points.size() + 1);
  EXPECT_EQ(merged.points.back().seconds, std::vector<double>{2e-3});
}

TEST(Ch07AddPoints, PointsFromAnotherGridAreRefused) {
  Dataset added;
  added.grid = made_up().grid;
  added.grid.approaches = {"ch02.partials"};
  added.grid.ns = {1'000};
  EXPECT_THROW((void)add_points(made_up(), added), std::invalid_argument);
  added.grid = made_up().grid;
  added.grid.approaches = {"ch02.partials", "ch03.atomic"};
  EXPECT_THROW((void)add_points(made_up(), added), std::invalid_argument);
}

TEST(Ch07Derive, SpeedupsEfficiencyAndKarpFlattComeFromTheMedians) {
  const std::vector<Row> rows = derive(made_up());
  const Row* two = nullptr;
  for (const Row& row : rows) {
    if (row.point.approach == "ch03.partials" && row.point.n == 10'000'000 &&
        row.point.workers == 2)
      two = &row;
  }
  ASSERT_NE(two, nullptr);
  const double one = 10e-3 + 1e-3, both = 5e-3 + 2e-3;
  EXPECT_NEAR(*two->vs_one_worker, one / both, 1e-9);
  EXPECT_NEAR(*two->vs_serial, 10e-3 / both, 1e-9);
  // Efficiency and Karp–Flatt are on the loop's baseline, not the approach's own one
  // worker (which here is 10% slower than the loop).
  EXPECT_NEAR(*two->efficiency, 10e-3 / both / 2, 1e-9);
  EXPECT_NEAR(*two->karp_flatt, *karp_flatt(10e-3 / both, 2), 1e-12);
}

TEST(Ch07Derive, TheSerialLoopTimedBesideAPointIsItsBaseline) {
  for (const Row& row : derive(made_up())) {
    if (row.point.approach != "ch02.locked" || !row.time) continue;
    EXPECT_DOUBLE_EQ(*row.serial_median, 2e-6)
        << "the loop timed beside it, not the loop's own 1 µs";
    EXPECT_NEAR(*row.vs_serial, 2e-6 / row.time->median, 1e-15);
  }
}

TEST(Ch07Derive, SkippedPointsHaveNoFigures) {
  for (const Row& row : derive(made_up())) {
    EXPECT_EQ(row.time.has_value(), row.point.skipped.empty())
        << row.point.approach << " " << row.point.n;
    if (!row.time) {
      EXPECT_FALSE(row.vs_one_worker.has_value());
    }
  }
}

TEST(Ch07Derive, CrossoversPerApproach) {
  const std::vector<Crossover> found = crossovers(derive(made_up()));
  // ch02.locked has both worker counts at one N only: that says nothing about a crossing.
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].approach, "ch03.partials");
  // 10^3: 1 ms against 2 ms; 10^6: 2 ms against 2.5 ms; 10^7: 11 ms against 7 ms.
  EXPECT_EQ(found[0].n, 10'000'000u);
  EXPECT_EQ(found[0].largest_n, 10'000'000u);
}

TEST(Ch07Json, RoundTripsTheRawTimings) {
  const Dataset d = made_up();
  const Dataset back = dataset_from_json(nlohmann::json::parse(to_json(d).dump()));
  ASSERT_EQ(back.points.size(), d.points.size());
  for (std::size_t i = 0; i < d.points.size(); ++i) {
    EXPECT_EQ(back.points[i].approach, d.points[i].approach);
    EXPECT_EQ(back.points[i].n, d.points[i].n);
    EXPECT_EQ(back.points[i].workers, d.points[i].workers);
    EXPECT_EQ(back.points[i].seconds, d.points[i].seconds);
    EXPECT_EQ(back.points[i].serial_seconds, d.points[i].serial_seconds);
    EXPECT_EQ(back.points[i].skipped, d.points[i].skipped);
  }
  EXPECT_EQ(back.grid.ns, d.grid.ns);
  EXPECT_EQ(back.machine, d.machine);
  std::ostringstream a, b;
  print_report(d, true, a);
  print_report(back, true, b);
  EXPECT_EQ(a.str(), b.str());
}

TEST(Ch07Json, MalformedFilesAreRefusedWithAReason) {
  nlohmann::json good = to_json(made_up());
  auto refused = [](nlohmann::json j) {
    try {
      (void)dataset_from_json(j);
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  nlohmann::json j = good;
  j["format"] = "something else";
  EXPECT_NE(refused(j).find("not a chapter 7"), std::string::npos);
  j = good;
  j["points"][0]["approach"] = "ch09.magic";
  EXPECT_NE(refused(j).find("ch09.magic"), std::string::npos);
  j = good;
  j["points"][0]["seconds"] = {-1.0};
  EXPECT_NE(refused(j).find("timing"), std::string::npos);
  j = good;
  j["points"][0].erase("n");
  EXPECT_NE(refused(j).find("malformed"), std::string::npos);
  j = good;
  j["points"][0]["seconds"] = nlohmann::json::array();
  EXPECT_NE(refused(j).find("no timings"), std::string::npos);
}

TEST(Ch07Csv, OneLinePerPointWithEveryColumn) {
  const Dataset d = made_up();
  std::ostringstream csv;
  write_csv(derive(d), csv);
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);
  const auto columns = std::count(line.begin(), line.end(), ',');
  EXPECT_EQ(line.rfind("approach,chapter,", 0), 0u);
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns) << line;
    ++count;
  }
  EXPECT_EQ(count, d.points.size());
}

TEST(Ch07Report, NamesTheMachineTheCrossoverAndTheSkippedPoints) {
  std::ostringstream out;
  print_report(made_up(), true, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("Test CPU, 2 usable cores"), std::string::npos) << text;
  EXPECT_TRUE(
      std::regex_search(text, std::regex(R"(ch03\.partials +threads +N ≥ 10\^7\n)")))
      << text;
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(ch02\.locked +processes)")))
      << "one N: no crossover\n"
      << text;
  // Small ratios keep their digits: 1 µs against 1 ms is 0.001, not 0.00.
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(R"(ch03\.partials +10\^3 +1 +0 +1 ms .* 0\.001 +0\.001 +– +1\.00\n)")))
      << text;
  EXPECT_NE(text.find("2 skipped"), std::string::npos) << text;
}

TEST(Ch07SizeText, PowersOfTenReadAsPowers) {
  EXPECT_EQ(size_text(0), "0");
  EXPECT_EQ(size_text(20), "20");
  EXPECT_EQ(size_text(1'000), "10^3");
  EXPECT_EQ(size_text(2'000'000), "2·10^6");
  EXPECT_EQ(size_text(5'000'000'000), "5·10^9");
  EXPECT_EQ(size_text(1'500), "1500");
  EXPECT_EQ(size_text(12'000), "12000");
}

TEST(Ch07Overheads, ReadsGoogleBenchmarkJsonInNanoseconds) {
  const nlohmann::json json = {
      {"context", {{"num_cpus", 2}}},
      {"benchmarks",
       {{{"name", "fork+wait | ptut::ChildProcesses/real_time"},
         {"run_type", "iteration"},
         {"real_time", 400.0},
         {"time_unit", "us"}},
        {{"name", "fork+wait | fork+waitpid/real_time"},
         {"run_type", "iteration"},
         {"real_time", 380000.0},
         {"time_unit", "ns"}},
        {{"name", "pipe round trip | read/write/real_time/threads:2"},
         {"run_type", "iteration"},
         {"real_time", 40.0},
         {"time_unit", "us"}},
        {{"name", "fork+wait | fork+waitpid/real_time_mean"},
         {"run_type", "aggregate"},
         {"real_time", 1.0},
         {"time_unit", "ns"}}}}};
  const std::vector<Overhead> costs = overheads_from_json(json);
  ASSERT_EQ(costs.size(), 3u);
  EXPECT_EQ(costs[2].operation, "pipe round trip");
  EXPECT_EQ(costs[2].implementation, "read/write") << "a '/' of its own is kept";
  EXPECT_EQ(costs[0].operation, "fork+wait");
  EXPECT_EQ(costs[0].implementation, "ptut::ChildProcesses");
  EXPECT_DOUBLE_EQ(costs[0].nanoseconds, 400'000.0);
  EXPECT_EQ(costs[1].implementation, "fork+waitpid");
  std::ostringstream out;
  print_overheads(costs, out);
  EXPECT_NE(out.str().find("0.95"), std::string::npos) << out.str();
  EXPECT_THROW((void)overheads_from_json({{"benchmarks", nlohmann::json::array()}}),
               std::runtime_error);
  EXPECT_THROW((void)overheads_from_json(
                   {{"benchmarks", {{{"name", "no bar"}, {"real_time", 1.0}}}}}),
               std::runtime_error);
}

}  // namespace
