// Race hunt 7: a count that publishes nothing. K threads each sum their part of
// 1..N into a slot of their own, then add one to a shared count of finished
// threads; main waits until the count reaches K, adds the slots, and only then
// joins the threads. The count is atomic and every fetch_add is indivisible, and
// still ThreadSanitizer reports a data race on the slots. Why? Fix it by changing
// memory orders only, and keep main reading before it joins.
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
        finished.fetch_add(1, std::memory_order_relaxed);
      });
    }
    while (finished.load(std::memory_order_relaxed) < k) std::this_thread::yield();
    for (const std::uint64_t partial : partials) total += partial;
  }  // the threads are joined only here, after the slots were read
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
