// Race hunt 2, fixed: `done` is written by main and read by the reporter at the
// same time, so it must be an atomic (a plain bool is a data race: undefined
// behaviour, and at -O2 the reporter's loop may read it once and never again).
// Here the reporter is a std::jthread and its stop token is the flag: request_stop()
// sets it, and the jthread's destructor requests a stop and joins on every way out.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <stop_token>
#include <thread>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) try {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {1'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<std::atomic<std::uint64_t>> partials(k);  // what each has added so far

  std::jthread reporter([&partials](std::stop_token stop) {
    while (!stop.stop_requested()) {
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
  reporter.request_stop();
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
