// The exercises' compiled solutions (chapters/NN_topic/exercises/exK_*.cpp), run
// as a reader runs them: exact against the closed form for several N and K, with
// nothing left behind; and what each one was written to show (the limit found, the
// failure reported, the dead worker replaced). Chapter 8's are in tests/ch08.
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "leak_check.hpp"
#include "oracle.hpp"
#include "ptut/machine.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::expected_sum;
using ptut::testing::run_chapter;

const std::vector<std::string> kSolutions = {
    "ch01_ex1_formula_limit", "ch01_ex5_double_sum",     "ch02_ex6_raw_mmap",
    "ch02_ex7_atomic_ref",    "ch03_ex5_exception_ptr",  "ch03_ex6_progress",
    "ch04_ex5_text",          "ch04_ex6_one_pipe",       "ch05_ex3_survive",
    "ch05_ex6_posix_mq",      "ch06_ex6_release_for_io", "ch06_ex7_own_gil",
    "ch07_ex6_interleaved",   "ch07_ex7_planted_serial"};

struct SolutionCase {
  std::string program;
  std::uint64_t n;
  unsigned workers;
  friend void PrintTo(const SolutionCase& c, std::ostream* out) {
    *out << c.program << " " << c.n << " " << c.workers;
  }
};

std::vector<SolutionCase> grid() {
  std::vector<SolutionCase> cases;
  for (const std::string& program : kSolutions) {
    for (const std::uint64_t n : {0ULL, 1ULL, 20ULL, 2'000'000ULL}) {
      for (const unsigned workers : {1U, 2U, 3U}) cases.push_back({program, n, workers});
    }
  }
  return cases;
}

// The line every solution ends with, as the cores do.
std::string sum_line(std::uint64_t n) {
  const std::string expected = std::to_string(expected_sum(n));
  return "sum = " + expected + " (expected " + expected + ")";
}

class Solution : public ptut::testing::NoLeaks,
                 public ::testing::WithParamInterface<SolutionCase> {};

TEST_P(Solution, IsExact) {
  const SolutionCase& c = GetParam();
  const auto r = run_chapter(c.program, {std::to_string(c.n), std::to_string(c.workers)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  ASSERT_FALSE(r.out_lines().empty());
  EXPECT_EQ(r.out_lines().back(), sum_line(c.n)) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Grid, Solution, ::testing::ValuesIn(grid()),
                         [](const ::testing::TestParamInfo<SolutionCase>& case_info) {
                           return case_info.param.program + "_n" +
                                  std::to_string(case_info.param.n) + "_k" +
                                  std::to_string(case_info.param.workers);
                         });

class Exercise : public ptut::testing::NoLeaks {};

TEST_F(Exercise, Ch01FindsTheLimitOfTheFormula) {
  const auto r = run_chapter("ch01_ex1_formula_limit", {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_NE(r.out.find("the largest N is 6074000999; the chapter's limit is 6074000999"),
            std::string::npos)
      << r.out;
}

// A double holds every whole number up to 2^53, and a sum of whole numbers stays
// exact below it: the first wrong sum comes at or after the sum passes 2^53,
// which the test finds with integers alone.
TEST_F(Exercise, Ch01FindsWhereTheDoubleFirstGoesWrong) {
  const auto r = run_chapter("ch01_ex5_double_sum", {"200000000"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  std::smatch passed, wrong;
  ASSERT_TRUE(
      std::regex_search(r.out, passed, std::regex(R"(passed 2\^53 = \d+ at i = (\d+))")))
      << r.out;
  ASSERT_TRUE(
      std::regex_search(r.out, wrong, std::regex(R"(first went wrong at i = (\d+))")))
      << r.out;
  const std::uint64_t past = std::stoull(passed[1]), first_wrong = std::stoull(wrong[1]);
  constexpr std::uint64_t kExactLimit = std::uint64_t{1} << 53;
  EXPECT_GT(expected_sum(past), kExactLimit);
  EXPECT_LE(expected_sum(past - 1), kExactLimit);
  EXPECT_GE(first_wrong, past);
}

TEST_F(Exercise, Ch03ReportsTheThreadThatThrew) {
  const auto r = run_chapter("ch03_ex5_exception_ptr", {"2000000", "3", "2"});
  EXPECT_EQ(r.exit_code, 1) << r.how();
  EXPECT_EQ(r.err, "thread 2 failed: asked to fail\n");
  const auto bad = run_chapter("ch03_ex5_exception_ptr", {"20", "2", "3"});
  EXPECT_EQ(bad.exit_code, 2) << bad.how();
  EXPECT_NE(bad.err.find("W must be a whole number from 0 to 2, not '3'"),
            std::string::npos);
}

TEST_F(Exercise, Ch05SurvivesEachWorkersDeath) {
  for (const std::string dying : {"1", "2", "3"}) {
    const auto r = run_chapter("ch05_ex3_survive", {"2000000", "3", dying});
    ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
    EXPECT_EQ(r.out_lines().back(), sum_line(2'000'000)) << r.out;
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("worker " + dying +
                          R"( \(pid \d+\) died holding chunk \d+\.\.\d+: )"
                          R"(sent again\nworker 4 replaces it\n)")))
        << r.out;
  }
}

// Chapter 12's ticket lock hands the lock over at every element, and each hand-over
// waits for the other thread to run: with the other tests beside it (ctest -j) on
// as many cores as threads, or under ThreadSanitizer, that can take microseconds.
constexpr std::uint64_t kTicketLargeN = 200'000;

struct TicketCase {
  std::uint64_t n;
  unsigned workers;
  friend void PrintTo(const TicketCase& c, std::ostream* out) {
    *out << "ch12_ex3_ticket_lock " << c.n << " " << c.workers;
  }
};

class TicketLock : public ptut::testing::NoLeaks,
                   public ::testing::WithParamInterface<TicketCase> {};

// Exact, and as fair as a ticket lock promises: a thread that takes a ticket waits
// behind at most the K - 1 others, since each of them holds one ticket at a time.
TEST_P(TicketLock, IsExactAndServesInOrder) {
  const TicketCase& c = GetParam();
  const auto r = run_chapter("ch12_ex3_ticket_lock",
                             {std::to_string(c.n), std::to_string(c.workers)});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.out << r.err;
  ASSERT_FALSE(r.out_lines().empty());
  EXPECT_EQ(r.out_lines().back(), sum_line(c.n)) << r.out;
  std::smatch wait;
  ASSERT_TRUE(std::regex_search(
      r.out, wait,
      std::regex(R"(longest wait: (\d+) acquisitions? ahead \(a ticket lock serves in )"
                 R"(order: at most K - 1 = (\d+)\)\n)")))
      << r.out;
  EXPECT_EQ(std::stoull(wait[2]), c.workers - 1) << r.out;
  EXPECT_LE(std::stoull(wait[1]), c.workers - 1) << r.out;
}

std::vector<TicketCase> ticket_grid() {
  std::vector<TicketCase> cases;
  const std::uint64_t sizes[] = {0, 1, 2, 20, kTicketLargeN};  // 1 and 2: fewer than K
  for (const std::uint64_t n : sizes) {
    for (const unsigned workers : {1U, 2U}) {
      if (workers <= ptut::describe_machine().usable_cores) cases.push_back({n, workers});
    }
  }
  return cases;
}

// More threads than cores: refused, since the thread whose turn it is may have no
// core, and every handoff would wait for the scheduler.
TEST(TicketLockSolution, RefusesMoreThreadsThanCores) {
  const unsigned cores = ptut::describe_machine().usable_cores;
  const auto r = run_chapter("ch12_ex3_ticket_lock", {"1000", std::to_string(cores + 1)});
  EXPECT_EQ(r.exit_code, 2) << r.how();
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "ch12_ex3_ticket_lock: " + std::to_string(cores + 1) + " threads on " +
                       std::to_string(cores) +
                       " cores: a spinning ticket lock needs a core per thread; K at "
                       "most " +
                       std::to_string(cores) + " here\n");
}

INSTANTIATE_TEST_SUITE_P(Grid, TicketLock, ::testing::ValuesIn(ticket_grid()),
                         [](const ::testing::TestParamInfo<TicketCase>& case_info) {
                           return "n" + std::to_string(case_info.param.n) + "_k" +
                                  std::to_string(case_info.param.workers);
                         });

}  // namespace
