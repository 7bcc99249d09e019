// Race hunt 1, fixed: each thread adds into a local variable, which nobody else
// sees, and adds that to the shared total once, with an atomic read-modify-write.
// (A std::atomic total with fetch_add per element would be exact too, and many
// times slower: chapter 3 measures it.)
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
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&total, n, k, w] {
        std::uint64_t partial = 0;
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
        total.fetch_add(partial, std::memory_order_relaxed);  // joined before it is read
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
