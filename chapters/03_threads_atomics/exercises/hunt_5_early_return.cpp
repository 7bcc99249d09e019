// Race hunt 5: an early way out. K threads sum their parts of 1..N; when N is 0
// there is nothing to add, and main says so at once. Run it with N = 0 and see it
// crash. Find why, and fix it so that every N and K ends with the exact sum.
//
//   scripts/check-exercise hunt_5 [your file]     (builds it with -fsanitize=thread)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::atomic<std::uint64_t> total{0};
  std::vector<std::thread> threads;
  for (std::uint64_t w = 0; w < k; ++w) {
    threads.emplace_back([&total, n, k, w] {
      std::uint64_t partial = 0;
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
      total.fetch_add(partial);
    });
  }
  if (n == 0) {  // nothing to add
    std::printf("sum = 0 (expected 0)\n");
    return 0;
  }
  for (std::thread& thread : threads) thread.join();
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n",
              static_cast<unsigned long long>(total.load()),
              static_cast<unsigned long long>(expected));
  return total.load() == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
