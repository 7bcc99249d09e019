// Race hunt 1, fixed: each thread adds into a local variable, which nobody else
// sees, and adds that to the shared total once, with an atomic read-modify-write.
// (A std::atomic total with fetch_add per element would be exact too, and many
// times slower: chapter 3 measures it.)
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  const std::uint64_t k = argc > 2 ? std::stoull(argv[2]) : 2;
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
}
