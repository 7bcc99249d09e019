// Race hunt 1: the article's bug, with threads. K threads add their parts of 1..N
// into one total. Make ThreadSanitizer silent and the sum exact for every N and K,
// keeping the threads and what each adds.
//
//   scripts/check-exercise hunt_1 [your file]     (builds it with -fsanitize=thread)
//   or by hand, in chapters/03_threads_atomics/exercises/, then ./a.out [N [K]]:
//   g++ -std=c++20 -O1 -g -fsanitize=thread -I ../../../common/include hunt_1_total.cpp
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::uint64_t total = 0;
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < k; ++w) {
      threads.emplace_back([&total, n, k, w] {
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) total += i;
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
