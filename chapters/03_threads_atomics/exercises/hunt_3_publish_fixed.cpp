// Race hunt 3, fixed: a relaxed store of the flag promises nothing about the
// writes before it, so main could see the flag and an old partial. A release
// store and an acquire load that reads it make everything the thread wrote before
// the store visible to main after the load (they "synchronize with" each other).
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
      slot.ready.store(true, std::memory_order_release);  // publishes partial
    });
  }
  std::uint64_t total = 0;
  for (Slot& slot : slots) {
    while (!slot.ready.load(std::memory_order_acquire)) std::this_thread::yield();
    total += slot.partial;  // happens-after the thread's last write to it
  }
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
