// Race hunt 5, fixed: a std::thread still joinable when it is destroyed calls
// std::terminate, and the early return destroyed them all unjoined. (Returning
// past running threads that use `total` would be worse: they would outlive it.)
// std::jthread joins in its destructor, so every way out of the scope waits for
// the threads. Joining before the early return would do too, and is easy to
// forget on the next way out someone adds.
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
  std::vector<std::jthread> threads;
  for (std::uint64_t w = 0; w < k; ++w) {
    threads.emplace_back([&total, n, k, w] {
      std::uint64_t partial = 0;
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
      total.fetch_add(partial);
    });
  }
  if (n == 0) {  // nothing to add: the jthreads join as `threads` is destroyed
    std::printf("sum = 0 (expected 0)\n");
    return 0;
  }
  threads.clear();  // joins every thread before `total` is read
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n",
              static_cast<unsigned long long>(total.load()),
              static_cast<unsigned long long>(expected));
  return total.load() == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
