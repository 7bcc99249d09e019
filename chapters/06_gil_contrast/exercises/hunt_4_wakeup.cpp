// Race hunt 4: a wake-up that is lost. K threads each sum a part of 1..N and hand
// main their partial sums through a mailbox guarded by a mutex, ringing a condition
// variable each time; main waits for one ring per thread. ThreadSanitizer finds no
// data race here, yet the program can wait for ever. Find out why, and fix it so
// that every N and K ends with the exact sum.
//
//   scripts/check-exercise hunt_4 [your file]     (builds it with -fsanitize=thread)
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
  std::uint64_t total = 0;  // guarded by mailbox

  std::vector<std::jthread> threads;
  for (std::uint64_t w = 0; w < k; ++w) {
    threads.emplace_back([&, w] {
      std::uint64_t partial = 0;
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) partial += i;
      {
        const std::lock_guard lock(mailbox);
        total += partial;
      }
      rung.notify_one();
    });
  }
  {
    std::unique_lock lock(mailbox);
    for (std::uint64_t received = 0; received < k; ++received)
      rung.wait(lock);  // a ring each
    const std::uint64_t expected = n * (n + 1) / 2;
    std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
                static_cast<unsigned long long>(expected));
    return total == expected ? 0 : 1;
  }
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
