// Chapter 12's approach, called as a library: the threads run in the test process
// (the program itself is tested in test_ch12_cli, the litmus tests in
// test_ch12_litmus).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "atomics.hpp"
#include "counters.hpp"
#include "grid.hpp"
#include "locks.hpp"
#include "oracle.hpp"
#include "ptut/machine.hpp"
#include "ptut/range.hpp"
#include <stdexcept>

namespace {

using ptut::testing::expected_sum;

ch12::Config config(const std::string& variant, std::uint64_t n, unsigned workers,
                    unsigned work = 0) {
  ch12::Config c;
  c.options.variant = variant;
  c.options.n = n;
  c.options.workers = workers;
  c.options.work = work;
  return c;
}

const std::vector<std::string> kCounters = {"statistical", "shared_atomic", "limit",
                                            "barrier", "semaphore"};
// One lock/unlock per element: a smaller large N keeps them short under the
// sanitizers. A ticket lock hands the lock over in turn on every element, and
// refuses more threads than cores (see CoreForEachTicketThread below).
const std::vector<std::string> kLocks = {"mutex", "tas", "ttas", "ticket", "waiting"};
const std::vector<std::string> kUnfairLocks = {"mutex", "tas", "ttas", "waiting"};

unsigned cores() {
  return ptut::describe_machine().usable_cores;
}

// Two threads where there are two cores (a ticket lock needs one each).
unsigned pair() {
  return std::min(2u, cores());
}

std::vector<ptut::testing::VariantCase> ticket_grid() {
  std::vector<ptut::testing::VariantCase> cases;
  for (const ptut::testing::VariantCase& c :
       ptut::testing::variant_grid({"ticket"}, 5'000))
    if (c.sum.workers <= cores()) cases.push_back(c);
  return cases;
}

class ExactVariant : public ::testing::TestWithParam<ptut::testing::VariantCase> {};

TEST_P(ExactVariant, EqualsTheClosedForm) {
  const auto& [variant, c] = GetParam();
  const ch12::Result result = ch12::run(config(variant, c.n, c.workers, c.work));
  EXPECT_EQ(result.sum, expected_sum(c.n));
}

INSTANTIATE_TEST_SUITE_P(Counters, ExactVariant,
                         ::testing::ValuesIn(ptut::testing::variant_grid(kCounters)),
                         ptut::testing::variant_case_name);
INSTANTIATE_TEST_SUITE_P(Locks, ExactVariant,
                         ::testing::ValuesIn(ptut::testing::variant_grid(kUnfairLocks,
                                                                         200'000)),
                         ptut::testing::variant_case_name);
INSTANTIATE_TEST_SUITE_P(FairLocks, ExactVariant, ::testing::ValuesIn(ticket_grid()),
                         ptut::testing::variant_case_name);

TEST(Ch12, ATicketLockRefusesMoreThreadsThanCores) {
  ch12::Config c = config("ticket", 1'000, cores() + 1);
  EXPECT_EQ(ch12::refusal(c).rfind("--workers: " + std::to_string(cores() + 1) +
                                       " threads on " + std::to_string(cores()) +
                                       " cores: a ticket lock's threads spin in turn",
                                   0),
            0u)
      << ch12::refusal(c);
  EXPECT_THROW((void)ch12::run(c), std::invalid_argument);
  c.options.variant = "ttas";  // unfair: whoever runs takes the lock
  EXPECT_EQ(ch12::refusal(c), "");
}

TEST(Ch12, TheReadersReadsNeverPassTheFinalTotal) {
  ch12::Config c = config("statistical", 20'000'000, 2);
  c.read_every = std::chrono::microseconds(10);
  const ch12::Result result = ch12::run(c);
  EXPECT_EQ(result.sum, expected_sum(20'000'000));
  EXPECT_LE(result.last_read, result.sum);
}

TEST(Ch12, StatisticalCounterReadsGoNoBackwards) {
  // Each slot only grows and a later load of a slot never sees an older value
  // (coherence), so each read is at least the one before, even mid-run.
  ch12::StatisticalCounter counter(2);
  std::uint64_t previous = 0;
  bool went_back = false;
  {
    std::jthread adder([&] {
      for (std::uint64_t i = 1; i <= 200'000; ++i) counter.add(i % 2, i);
    });
    for (int r = 0; r < 2000; ++r) {
      const std::uint64_t now = counter.read();
      went_back = went_back || now < previous;
      previous = now;
    }
  }
  EXPECT_FALSE(went_back);
  EXPECT_EQ(counter.read(), expected_sum(200'000));
}

TEST(Ch12, TheLimitCounterHandsOutEachElementOnceAndStops) {
  ch12::LimitCounter counter(10, 4);
  std::vector<ptut::Chunk> batches;
  for (ptut::Chunk b = counter.take(); !b.empty(); b = counter.take())
    batches.push_back(b);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].first, 1u);
  EXPECT_EQ(batches[2].last, 11u);
  EXPECT_TRUE(counter.take().empty());
  EXPECT_EQ(counter.handed_out(), 10u);
}

TEST(Ch12, EveryLockCountsOneAcquisitionPerElement) {
  for (const std::string& variant : kLocks) {
    const ch12::Result result = ch12::run(config(variant, 20'000, pair()));
    EXPECT_EQ(result.acquisitions, 20'000u) << variant;
    EXPECT_LT(result.longest_wait, 20'000u) << variant;
    EXPECT_GE(result.handoffs, 1u) << variant;
    EXPECT_LE(result.handoffs, 20'000u) << variant;
  }
}

TEST(Ch12, OneThreadNeverWaitsForALock) {
  for (const std::string& variant : kLocks) {
    const ch12::Result result = ch12::run(config(variant, 10'000, 1));
    EXPECT_EQ(result.longest_wait, 0u) << variant;
    EXPECT_EQ(result.handoffs, 1u) << variant;  // the first acquisition
  }
}

TEST(Ch12, TheBarriersPhasesRunInOrderAndEndAtTheSum) {
  ch12::Config c = config("barrier", 1'000'000, 3);
  c.phases = 5;
  const ch12::Result result = ch12::run(c);
  ASSERT_EQ(result.phase_totals.size(), 5u);
  EXPECT_TRUE(std::is_sorted(result.phase_totals.begin(), result.phase_totals.end()));
  EXPECT_EQ(result.phase_totals.back(), expected_sum(1'000'000));
}

TEST(Ch12, TheSemaphoreLetsNoMoreThanItsPermitsRun) {
  for (const unsigned permits : {1u, 2u, 3u}) {
    ch12::Config c = config("semaphore", 2'000'000, 8);
    c.permits = permits;
    const ch12::Result result = ch12::run(c);
    EXPECT_EQ(result.sum, expected_sum(2'000'000));
    EXPECT_EQ(result.permits, permits);
    EXPECT_GE(result.most_running, 1u);
    EXPECT_LE(result.most_running, permits);
  }
}

TEST(Ch12, AThrowingThreadIsNamedInEveryVariant) {
  std::vector<std::string> all = kCounters;
  all.insert(all.end(), kLocks.begin(), kLocks.end());
  for (const std::string& variant : all) {
    ch12::Config c = config(variant, 5'000, pair());
    c.throwing_worker = pair();
    try {
      (void)ch12::run(c);
      ADD_FAILURE() << variant << ": the run did not fail";
    } catch (const ch12::RunFailed& failure) {
      EXPECT_EQ(
          std::string(failure.what())
              .rfind("thread " + std::to_string(pair()) + " threw: injected fault: ", 0),
          0u)
          << variant << ": " << failure.what();
    }
  }
}

TEST(Ch12, AThreadThatCannotStartFailsTheRunWithoutAHang) {
  // The barrier's threads would wait for the missing one at every phase, the
  // semaphore's for a permit: the started ones must not run at all.
  for (const char* variant : {"barrier", "semaphore", "ticket", "statistical"}) {
    ch12::Config c = config(variant, 200'000, pair());
    c.unstartable_worker = pair();
    try {
      (void)ch12::run(c);
      ADD_FAILURE() << variant << ": the run did not fail";
    } catch (const ch12::RunFailed& failure) {
      EXPECT_EQ(std::string(failure.what())
                    .rfind("could not start thread " + std::to_string(pair()) + ": ", 0),
                0u)
          << variant << ": " << failure.what();
    }
  }
}

TEST(Ch12, LocksAreBasicLockableAndExclude) {
  // Two threads, each adding 1 100000 times to a plain integer under the lock: a
  // lock that let both in would lose increments (and TSan would report the race).
  auto hammer = [](auto& lock) {
    std::uint64_t total = 0;
    {
      std::jthread a([&] {
        for (int i = 0; i < 100'000; ++i) {
          const std::scoped_lock hold(lock);
          ++total;
        }
      });
      std::jthread b([&] {
        for (int i = 0; i < 100'000; ++i) {
          const std::scoped_lock hold(lock);
          ++total;
        }
      });
    }
    return total;
  };
  ch12::TasLock tas;
  ch12::TtasLock ttas;
  ch12::TicketLock ticket;
  ch12::WaitingLock waiting;
  EXPECT_EQ(hammer(tas), 200'000u);
  EXPECT_EQ(hammer(ttas), 200'000u);
  EXPECT_EQ(hammer(ticket), 200'000u);
  EXPECT_EQ(hammer(waiting), 200'000u);
}

}  // namespace
