// Exercise 1's solution: std::async without a thread per task alive at once. The
// range is cut into 8K tasks as in the core, but at most K of them run: a window
// of K futures, and before launching another the oldest is waited for.
//
//   build/bin/ch10_ex1_async_window [N [K]]
#include <cstdint>
#include <deque>
#include <future>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const auto [n, k] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> tasks = ptut::split_range(n, 8 * k);

  std::deque<std::future<std::uint64_t>> running;  // at most k, oldest first
  std::uint64_t sum = 0;
  for (const ptut::Chunk chunk : tasks) {
    if (running.size() == k) {
      sum += running.front().get();  // joins the oldest task's thread
      running.pop_front();
    }
    running.push_back(
        std::async(std::launch::async, [chunk] { return ptut::sum_range(chunk, 0); }));
  }
  for (std::future<std::uint64_t>& result : running) sum += result.get();
  return ptut::report_sum(sum, n);
}
