// The committed reference data must show what chapter 7's page says it shows.
// Nothing is timed here: the test reads the published file, so a page and its
// data cannot drift apart (re-measuring the reference re-runs these checks).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "measuring.hpp"

namespace {

using namespace ch07;

const std::vector<Row>& reference_rows() {
  static const std::vector<Row> rows = [] {
    std::ifstream file(PTUT_SOURCE_DIR "/chapters/07_measuring/reference/full.json");
    return derive(dataset_from_json(nlohmann::json::parse(file)));
  }();
  return rows;
}

// Speedups of 2 workers over 1 at --work 16 and N ≥ 10^8, by approach.
std::map<std::string, std::vector<double>> compute_bound_speedups() {
  std::map<std::string, std::vector<double>> found;
  for (const Row& row : reference_rows()) {
    const Point& p = row.point;
    if (p.work == 16 && p.workers == 2 && p.n >= 100'000'000 && row.vs_one_worker) {
      found[p.approach].push_back(*row.vs_one_worker);
    }
  }
  return found;
}

TEST(Ch07Reference, IsTheFullGridOnANamedMachine) {
  std::ifstream file(PTUT_SOURCE_DIR "/chapters/07_measuring/reference/full.json");
  const Dataset d = dataset_from_json(nlohmann::json::parse(file));
  EXPECT_EQ(d.grid.name, "full");
  EXPECT_EQ(d.grid.workers, (std::vector<unsigned>{1, 2, 4}));
  EXPECT_EQ(d.grid.ns.front(), 1'000u);
  EXPECT_EQ(d.grid.ns.back(), 1'000'000'000u);
  EXPECT_GE(d.grid.repeat, 3u);
  EXPECT_NE(d.machine.value("cpu_model", std::string()), "");
  EXPECT_GT(d.machine.value("usable_cores", 0), 0);
  EXPECT_EQ(d.grid.approaches.size(), approaches().size()) << "every approach is in the reference";
}

const Row* find(const std::string& approach, std::uint64_t n, unsigned workers, unsigned work) {
  for (const Row& row : reference_rows()) {
    const Point& p = row.point;
    if (p.approach == approach && p.n == n && p.workers == workers && p.work == work && row.time) return &row;
  }
  return nullptr;
}

const std::vector<std::string> kSharedNothing = {"ch02.partials", "ch03.partials", "ch04.asio", "ch05.dynamic",
                                                 "ch06.nogil"};
const std::vector<std::string> kPerElement = {"ch02.locked", "ch02.atomic", "ch03.mutex", "ch03.atomic"};

// "the shared-nothing approaches reach between 1.7× and 2× on two workers from N = 10^8 on"
TEST(Ch07Reference, ComputeBoundSharedNothingReachesAtLeast1point7WithTwoWorkers) {
  const auto speedups = compute_bound_speedups();
  for (const std::string& name : kSharedNothing) {
    ASSERT_TRUE(speedups.count(name)) << name << " has no point at N ≥ 10^8 with --work 16";
    for (const double s : speedups.at(name)) {
      EXPECT_GE(s, 1.7) << name;
      EXPECT_LE(s, 2.1) << name << ": more than two cores' worth on two cores?";
    }
  }
}

// "every e jumps to a third or more" with 4 workers on 2 cores
TEST(Ch07Reference, FourWorkersOnTwoCoresShowAsASerialFractionOfAThirdOrMore) {
  for (const std::string& name : kSharedNothing) {
    const Row* four = find(name, 100'000'000, 4, 16);
    ASSERT_NE(four, nullptr) << name;
    EXPECT_GE(*four->karp_flatt, 0.3) << name;
  }
}

// "The GIL-like lock never gains more than noise"
TEST(Ch07Reference, TheGilLikeLockGainsNothing) {
  for (const Row& row : reference_rows()) {
    const Point& p = row.point;
    if (p.approach != "ch06.cpu" || p.workers < 2 || p.n < 1'000'000 || !row.vs_one_worker) continue;
    EXPECT_LE(*row.vs_one_worker, 1.05) << "N = " << p.n << ", " << p.workers << " threads, work " << p.work;
  }
}

// "Sharing every element is slower than the serial loop at every N with two workers or more"
TEST(Ch07Reference, PerElementSharingIsSlowerThanTheSerialLoop) {
  std::size_t checked = 0;
  for (const Row& row : reference_rows()) {
    const Point& p = row.point;
    if (p.workers < 2 || !row.vs_serial) continue;
    if (std::find(kPerElement.begin(), kPerElement.end(), p.approach) == kPerElement.end()) continue;
    EXPECT_LT(*row.vs_serial, 1.0) << p.approach << " at N = " << p.n << ", " << p.workers << " workers";
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

// "Threads with partial sums pay at N = 2·10^6 and cross over at a few hundred thousand";
// "forked processes with partial sums pay at 2·10^6 too, but cross over later than both"
TEST(Ch07Reference, ForkedWorkersCrossOverLaterThanThreads) {
  std::map<std::string, std::uint64_t> at;
  for (const Crossover& c : crossovers(reference_rows())) {
    if (c.work == 0 && c.n) at[c.approach] = *c.n;
  }
  for (const char* threads : {"ch03.partials", "ch06.nogil"}) {
    ASSERT_TRUE(at.count(threads)) << threads;
    EXPECT_LE(at[threads], 500'000u) << threads;
    EXPECT_GT(*find(threads, 2'000'000, 2, 0)->vs_one_worker, 1.2) << threads;
    for (const char* processes : {"ch02.partials", "ch04.asio", "ch05.static", "ch05.dynamic"}) {
      ASSERT_TRUE(at.count(processes)) << processes;
      EXPECT_GT(at[processes], at[threads]) << processes << " against " << threads;
    }
  }
  for (const char* processes : {"ch02.partials", "ch04.asio", "ch05.static"}) {
    EXPECT_GT(*find(processes, 2'000'000, 2, 0)->vs_one_worker, 1.2) << processes;
  }
}

// "Chapter 5's dynamic queue is slower with two workers than with one up to a few million"
TEST(Ch07Reference, TheDynamicQueueLosesAtSmallN) {
  for (const std::uint64_t n : {1'000ULL, 100'000ULL, 1'000'000ULL, 2'000'000ULL}) {
    EXPECT_LT(*find("ch05.dynamic", n, 2, 0)->vs_one_worker, 1.0) << "N = " << n;
  }
}

// "ch02.locked gets faster with two workers than with one over much of its range,
// yet stays the slowest approach of all against the serial loop"
TEST(Ch07Reference, TheLockedVariantScalesYetIsTheSlowest) {
  for (const std::uint64_t n : {1'000'000ULL, 2'000'000ULL}) {
    const Row* locked = find("ch02.locked", n, 2, 0);
    ASSERT_NE(locked, nullptr);
    EXPECT_GT(*locked->vs_one_worker, 1.0) << "N = " << n;
    for (const Row& row : reference_rows()) {
      if (row.point.n == n && row.point.work == 0 && row.point.workers == 2 && row.vs_serial &&
          row.point.approach != "ch02.locked") {
        EXPECT_GT(*row.vs_serial, *locked->vs_serial) << row.point.approach << " at N = " << n;
      }
    }
  }
}

}  // namespace
