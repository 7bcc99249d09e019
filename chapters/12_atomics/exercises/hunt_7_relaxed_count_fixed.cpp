// Race hunt 7, fixed: a relaxed read-modify-write is indivisible, but it orders
// nothing around it, so main could read K and still an old slot. Each thread now
// adds with release, and main loads with acquire. Main reads the value K, which
// only the last fetch_add wrote, and still synchronizes with all K threads: a
// release operation heads a release sequence, which goes on through every later
// read-modify-write of the same atomic, whichever thread does it and whatever its
// order. The last fetch_add lies in every thread's release sequence, so the
// acquire load that reads its value makes each thread's slot write happen-before
// main's read of it. (A plain store by another thread would end the sequence: a
// count kept by load-then-store would publish only its last writer's slot.)
//
//   scripts/check-exercise hunt_7 [your file]     (builds it with -fsanitize=thread)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<std::uint64_t> partials(k, 0);  // slot w: written by thread w only
  std::atomic<std::uint64_t> finished{0};     // threads whose slot is written
  std::uint64_t total = 0;
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&partials, &finished, n, k, w] {
        std::uint64_t partial = 0;
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
        partials[w] = partial;
        finished.fetch_add(1, std::memory_order_release);  // publishes partials[w]
      });
    }
    while (finished.load(std::memory_order_acquire) < k) std::this_thread::yield();
    for (const std::uint64_t partial : partials) total += partial;  // every slot visible
  }  // the threads are joined only here, after the slots were read
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
