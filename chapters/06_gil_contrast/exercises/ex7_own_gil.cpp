// Exercise 7's solution: a GIL of your own, in a page of code. One mutex and one
// condition variable guard a "held" flag; a thread that wants the lock waits on
// the condition variable for at most one switch interval at a time, and when the
// interval runs out without a change of holder it sets a drop request; the holder
// checks the request between steps of work and hands the lock over. (The
// chapter's ch06::Gil adds forced switching, so that the holder cannot take the
// lock straight back, and counts what happens.)
//
//   build/bin/ch06_ex7_own_gil [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

class SimpleGil {
 public:
  explicit SimpleGil(std::chrono::microseconds interval) : interval_(interval) {}
  void take() {
    std::unique_lock lock(mutex_);
    while (held_) {
      const std::uint64_t holder_was = switches_;
      // Wait one interval; if the holder is the same after it, ask it to let go.
      if (!released_.wait_for(lock, interval_, [&] { return !held_; }) &&
          switches_ == holder_was)
        drop_request_.store(true, std::memory_order_relaxed);
    }
    held_ = true;
    ++switches_;
    drop_request_.store(false, std::memory_order_relaxed);
  }
  void drop() {
    {
      const std::lock_guard lock(mutex_);
      held_ = false;
    }
    released_.notify_one();
  }
  bool drop_requested() const { return drop_request_.load(std::memory_order_relaxed); }
  std::uint64_t takes() {
    const std::lock_guard lock(mutex_);
    return switches_;
  }

 private:
  const std::chrono::microseconds interval_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool held_ = false;           // guarded by mutex_
  std::uint64_t switches_ = 0;  // guarded by mutex_: how many times it was taken
  std::atomic<bool> drop_request_{false};
};

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  SimpleGil gil(std::chrono::milliseconds(5));
  std::atomic<std::uint64_t> total{0};
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&gil, &total, &chunks, w] {
        gil.take();
        std::uint64_t partial = 0;
        for (std::uint64_t first = chunks[w].first; first < chunks[w].last; first += 64) {
          partial += ptut::sum_range({first, std::min(chunks[w].last, first + 64)}, 0);
          if (gil.drop_requested()) {  // someone waited a whole interval: let them run
            gil.drop();
            gil.take();
          }
        }
        std::printf("thread %u: %s, partial sum %" PRIu64 "\n", w + 1,
                    ptut::describe(chunks[w]).c_str(), partial);
        total.fetch_add(partial, std::memory_order_relaxed);
        gil.drop();
      });
    }
  }
  std::printf("the lock was taken %" PRIu64 " times\n", gil.takes());
  return ptut::report_sum(total.load(), n);
}
