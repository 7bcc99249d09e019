// Race hunt 6, fixed: a lock must hand over the memory it guards, not only itself.
// A relaxed clear makes the lock free but carries nothing with it, so the next
// holder can read an old total and the two additions are unordered: a data race,
// and undefined behaviour, however rarely x86-64 shows it. A release clear that
// the next holder's acquire test-and-set reads makes every write of the previous
// critical section happen-before everything in the next one. Both halves are
// needed: release alone publishes to nobody, acquire alone receives nothing.
//
//   scripts/check-exercise hunt_6 [your file]     (builds it with -fsanitize=thread)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

class SpinLock {
 public:
  void lock() {
    while (held_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
  }
  void unlock() { held_.clear(std::memory_order_release); }  // publishes the section

 private:
  std::atomic_flag held_;  // clear from the start (C++20)
};

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  SpinLock lock;
  std::uint64_t total = 0;  // guarded by lock
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&lock, &total, n, k, w] {
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) {
          lock.lock();
          total += i;
          lock.unlock();
        }
      });
    }
  }  // every jthread joins here
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
