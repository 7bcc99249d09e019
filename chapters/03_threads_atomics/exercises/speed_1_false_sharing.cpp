// Speed target 1: false sharing. K threads each add their part of 1..N, element
// by element, into a slot of their own with an atomic fetch_add: no slot is
// shared, no update is lost, and still two threads are slower than one. Make it
// at least 2× faster with K = 2, keeping the threads and the fetch_add of every
// element into the thread's own slot.
//
//   scripts/check-exercise speed_1 [your file]   (times yours against this, in turns)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

struct Slot {
  std::atomic<std::uint64_t> value{0};  // written by its own thread only
};

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {100'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<Slot> slots(k);
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&slot = slots[w], n, k, w] {
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i)  // a store each:
          slot.value.fetch_add(i, std::memory_order_relaxed);
      });
    }
  }
  std::uint64_t total = 0;
  for (const Slot& slot : slots) total += slot.value.load();
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
