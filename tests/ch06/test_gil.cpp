// Chapter 6's lock and modes, called as a library, in threads (this executable
// never forks; the program's tests live in test_cli.cpp).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gil.hpp"
#include "gil_contrast.hpp"
#include "grid.hpp"
#include "oracle.hpp"

namespace {

using namespace std::chrono_literals;
using ptut::testing::expected_sum;

ch06::Config config(const std::string& mode, std::uint64_t n, unsigned workers,
                    unsigned work = 0) {
  ch06::Config c;
  c.options.variant = mode;
  c.options.n = n;
  c.options.workers = workers;
  c.options.work = work;
  c.switch_interval = 200us;  // many hand-offs in a short test
  c.block = 1ms;
  c.round_trips = 20;
  return c;
}

class ExactMode : public ::testing::TestWithParam<ptut::testing::VariantCase> {};

TEST_P(ExactMode, EqualsTheClosedFormWithOneThreadAndWithK) {
  const auto& [mode, c] = GetParam();
  const ch06::GilFacts result = ch06::run(config(mode, c.n, c.workers, c.work));
  EXPECT_EQ(result.sum, expected_sum(c.n));
  EXPECT_EQ(result.overlapping_holders, 0u);
}

// Every point of the grid, less convoy with one thread (refused: ConvoyNeedsTwoThreads).
std::vector<ptut::testing::VariantCase> mode_grid() {
  std::vector<ptut::testing::VariantCase> cases;
  for (const auto& c : ptut::testing::variant_grid({"cpu", "io", "convoy", "nogil"})) {
    if (c.variant != "convoy" || c.sum.workers >= 2) cases.push_back(c);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Grid, ExactMode, ::testing::ValuesIn(mode_grid()),
                         ptut::testing::variant_case_name);

TEST(Ch06, ConvoyNeedsTwoThreads) {
  EXPECT_THROW((void)ch06::run(config("convoy", 20, 1)), ch06::BadConfig);
}

TEST(Ch06, RoundTripsComplete) {
  ch06::Config c = config("convoy", 2'000'000, 2);
  c.round_trips = 50;
  const ch06::GilFacts result = ch06::run(c);
  EXPECT_EQ(result.sum, expected_sum(2'000'000));
  ASSERT_TRUE(result.round_trips.has_value());
  EXPECT_EQ(result.round_trips->count, 50u);
  EXPECT_GT(result.round_trips->ms_beside, 0.0);
  EXPECT_GT(result.round_trips->ms_alone, 0.0);
}

TEST(Ch06Gil, IsNeverHeldByTwoThreads) {
  // Eight threads take, yield and drop the lock thousands of times, with a switch
  // interval short enough that drop requests fly; a counter of its own checks
  // that nobody else was inside while a thread held it.
  ch06::Gil gil(50us);
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  const auto enter = [&] {
    if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
  };
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t <= 8; ++t) {
      threads.emplace_back([&, t] {
        std::uint64_t busy = 0;
        for (int round = 0; round < 300; ++round) {
          gil.take(t);
          enter();
          for (int step = 0; step < 50; ++step) {
            for (int spin = 0; spin < 1000; ++spin)
              busy += static_cast<std::uint64_t>(spin) ^ busy;  // some work
            if (gil.drop_requested()) {
              inside.fetch_sub(1);
              gil.yield(t);
              enter();
            }
          }
          inside.fetch_sub(1);
          gil.drop(t);
        }
        EXPECT_NE(busy, 1u);  // keeps the work from being optimised away
      });
    }
  }
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(gil.overlapping_holders(), 0u);
  EXPECT_GT(gil.handoffs(), 0u);
  EXPECT_GT(gil.drop_requests(), 0u) << "the yield path was never taken";
}

TEST(Ch06Gil, AWaiterAsksForTheLockOnlyAfterAWholeInterval) {
  // Held for 300 ms against a 10 ms interval: the waiter asks. Held for 1 ms
  // against a 10 s interval: it never does.
  for (const auto& [interval, hold, asks] :
       {std::tuple{10ms, 300ms, true}, std::tuple{10000ms, 1ms, false}}) {
    ch06::Gil gil(interval);
    gil.take(1);
    std::jthread waiter([&] {
      gil.take(2);
      gil.drop(2);
    });
    const auto start = std::chrono::steady_clock::now();
    bool asked = false;
    // holding, not checking on purpose
    while (std::chrono::steady_clock::now() - start < hold) {
      std::this_thread::sleep_for(1ms);
    }
    asked = gil.drop_requested();
    gil.drop(1);
    waiter.join();
    EXPECT_EQ(asked, asks) << "interval " << interval.count() << " ms, held "
                           << hold.count() << " ms";
    EXPECT_EQ(gil.drop_requests(), asks ? 1u : 0u);
  }
}

TEST(Ch06Gil, ADropOnRequestHandsTheLockToTheWaiter) {
  // Forced switching: the holder yields when asked, and the waiter gets the lock
  // before the holder can take it back.
  ch06::Gil gil(1ms);
  std::vector<unsigned> holders;
  gil.take(1);
  holders.push_back(1);
  std::jthread waiter([&] {
    gil.take(2);
    holders.push_back(2);
    gil.drop(2);
  });
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (!gil.drop_requested()) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up)
        << "the waiter never asked for the lock";
    std::this_thread::sleep_for(100us);
  }
  gil.yield(1);  // drop, wait until 2 has taken it, take it back
  holders.push_back(1);
  gil.drop(1);
  waiter.join();
  EXPECT_EQ(holders, (std::vector<unsigned>{1, 2, 1}));
  EXPECT_EQ(gil.handoffs(), 2u);
}

}  // namespace
