// Speed target 2: the price of a message. K threads take work from a queue until
// it is empty, as chapter 5's workers do, so that a thread that finishes early
// takes more; but here every task is a single number, and taking one costs a lock.
// Make it at least 5× faster with K = 2, keeping the queue: a thread must still take
// its next piece of work when it is free (no fixed halves).
//
//   scripts/check-exercise speed_2 [your file]   (times yours against this, in turns)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

// The queue of tasks 1..n, handed out in order.
class Tasks {
 public:
  explicit Tasks(std::uint64_t n) : last_(n) {}
  std::optional<std::uint64_t> take() {
    const std::lock_guard lock(mutex_);
    if (next_ > last_) return std::nullopt;
    return next_++;
  }

 private:
  std::mutex mutex_;
  std::uint64_t next_ = 1;
  const std::uint64_t last_;
};

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {20'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  Tasks tasks(n);
  std::atomic<std::uint64_t> total{0};
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&tasks, &total] {
        std::uint64_t partial = 0;
        while (const std::optional<std::uint64_t> task = tasks.take()) partial += *task;
        total.fetch_add(partial);
      });
    }
  }
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n",
              static_cast<unsigned long long>(total.load()),
              static_cast<unsigned long long>(expected));
  return total.load() == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
