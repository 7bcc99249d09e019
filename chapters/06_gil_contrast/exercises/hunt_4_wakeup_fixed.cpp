// Race hunt 4, fixed: a condition variable has no memory. A notify_one() that
// comes while nobody waits (a thread finished before main reached wait(), or two
// threads rang while main was still awake) wakes nobody and is gone, and main
// waits for a ring that already happened. Wait for a condition on the state the
// mutex guards instead, here how many partial sums have arrived: wait() with a
// predicate checks it before sleeping and after every wake-up, spurious or not.
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::mutex mailbox;
  std::condition_variable rung;
  std::uint64_t total = 0;    // guarded by mailbox
  std::uint64_t arrived = 0;  // guarded by mailbox: how many partial sums are in total

  std::vector<std::jthread> threads;
  for (std::uint64_t w = 0; w < k; ++w) {
    threads.emplace_back([&, w] {
      std::uint64_t partial = 0;
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
      {
        const std::lock_guard lock(mailbox);
        total += partial;
        ++arrived;
      }
      rung.notify_one();
    });
  }
  {
    std::unique_lock lock(mailbox);
    rung.wait(lock, [&] { return arrived == k; });
    const std::uint64_t expected = n * (n + 1) / 2;
    std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
                static_cast<unsigned long long>(expected));
    return total == expected ? 0 : 1;
  }
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
