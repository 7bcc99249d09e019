// Race hunt 2: a flag that tells another thread to stop. K threads sum their parts
// of 1..N while a reporter thread prints how far they got, until main says the
// work is done. One variable here is shared without being safe to share: find it,
// and make ThreadSanitizer silent and the sum exact for every N and K.
//
//   scripts/check-exercise hunt_2 [your file]     (builds it with -fsanitize=thread)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<std::atomic<std::uint64_t>> partials(k);  // what each has added so far
  bool done = false;

  std::thread reporter([&partials, &done] {
    while (!done) {
      std::uint64_t so_far = 0;
      for (const auto& partial : partials) so_far += partial.load();
      std::fprintf(stderr, "so far: %llu\n", static_cast<unsigned long long>(so_far));
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  {
    std::vector<std::jthread> workers;
    for (std::uint64_t w = 0; w < k; ++w) {
      workers.emplace_back([&partials, n, k, w] {
        for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i)
          partials[w].store(partials[w].load(std::memory_order_relaxed) + i,
                            std::memory_order_relaxed);  // only this thread writes it
      });
    }
  }  // the workers have finished
  done = true;
  reporter.join();

  std::uint64_t total = 0;
  for (const auto& partial : partials) total += partial.load();
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return total == expected ? 0 : 1;
} catch (const std::exception& failure) {  // a thread the system refused, say
  return ptut::failed(argv[0], failure);
}
