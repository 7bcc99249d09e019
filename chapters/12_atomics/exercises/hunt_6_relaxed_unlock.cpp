// Race hunt 6: a spin lock whose unlock is relaxed. K threads add each element of
// their part of 1..N to one plain total, taking a test-and-set spin lock around
// every addition, as chapter 3's mutex variant does with std::mutex. Every access
// to the total is under the lock, and still ThreadSanitizer reports a data race on
// it. Why? Fix it by changing memory orders only.
//
// Built without ThreadSanitizer, on x86-64, the sum usually comes out right: the
// processor keeps a core's stores in order (TSO) and the test-and-set is a locked
// instruction, so the hardware orders what the program leaves unordered. The C++
// memory model promises nothing of the kind: the compiler may sink the store of
// the total below the unlock, and an ARM core may let another core see the lock
// free before it sees the new total.
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
  void unlock() { held_.clear(std::memory_order_relaxed); }

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
