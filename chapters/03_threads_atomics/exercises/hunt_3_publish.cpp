// Race hunt 3: publishing a result. Each of K threads sums its part of 1..N into a
// slot of its own, then raises its flag; main waits for each flag and reads the
// slot. The flags are atomics, and still ThreadSanitizer reports a race. Why? Fix
// it by changing memory orders only.
//
//   scripts/check-exercise hunt_3 [your file]     (builds it with -fsanitize=thread)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

struct Slot {
  std::uint64_t partial = 0;       // written by one thread, then read by main
  std::atomic<bool> ready{false};  // "partial is written"
};

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<Slot> slots(k);
  std::vector<std::jthread> threads;
  for (std::uint64_t w = 0; w < k; ++w) {
    threads.emplace_back([&slot = slots[w], n, k, w] {
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) slot.partial += i;
      slot.ready.store(true, std::memory_order_relaxed);
    });
  }
  std::uint64_t total = 0;
  for (Slot& slot : slots) {
    while (!slot.ready.load(std::memory_order_relaxed)) std::this_thread::yield();
    total += slot.partial;  // the threads run on: only the flag says it is safe
  }
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
