// Speed target 2, a solution: a task is now a chunk of numbers, so that the lock
// is taken once per chunk, not once per number. The queue still balances: a free
// thread takes the next chunk. Chunks of 10,000 make the lock's cost vanish next to
// the adding, and leave 2,000 chunks at N = 20,000,000 to share out (chapter 5's
// exercise 2 finds where a chunk gets too big to balance).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

struct Chunk {
  std::uint64_t first, last;  // 1-based, inclusive
};

// The queue of tasks: chunks of 1..n, handed out in order.
class Tasks {
 public:
  Tasks(std::uint64_t n, std::uint64_t chunk) : last_(n), chunk_(chunk) {}
  std::optional<Chunk> take() {
    const std::lock_guard lock(mutex_);
    if (next_ > last_) return std::nullopt;
    const Chunk taken{next_, std::min(last_, next_ + chunk_ - 1)};
    next_ = taken.last + 1;
    return taken;
  }

 private:
  std::mutex mutex_;
  std::uint64_t next_ = 1;
  const std::uint64_t last_, chunk_;
};

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {20'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  Tasks tasks(n, 10'000);
  std::atomic<std::uint64_t> total{0};
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&tasks, &total] {
        std::uint64_t partial = 0;
        while (const std::optional<Chunk> chunk = tasks.take())
          for (std::uint64_t i = chunk->first; i <= chunk->last; ++i) partial += i;
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
