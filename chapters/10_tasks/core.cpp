// Chapter 10's core: the sum of 1..N as tasks on a thread pool.
//
// Python's multiprocessing.Pool.map cuts the work into tasks, hands them to a
// fixed set of workers and gives the results back in order. The C++ of it: a pool
// of K threads (Boost.Asio's thread_pool), one task per chunk of 1..N posted to
// it, and for each task a std::future: the place its result, or its exception,
// will be found. More tasks than threads: a thread that finishes early takes the
// next task, so uneven tasks still share out evenly.
//
//   build/bin/ch10_core [N [K]]        (defaults: N = 20, K = 2)
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <future>
#include <string>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/work.hpp"

// Which pool thread runs a task, numbered from 1 as each thread takes its first.
unsigned this_thread_number() {
  static std::atomic<unsigned> threads_seen{0};
  thread_local const unsigned number = ++threads_seen;
  return number;
}

int main(int argc, char** argv) {
  const auto [n, k] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> tasks = ptut::split_range(n, 8 * k);

  boost::asio::thread_pool pool(k);  // K threads, waiting for work
  std::vector<std::future<std::uint64_t>> results;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    // post() queues the task and returns at once. use_future wraps it in a
    // std::packaged_task and hands back the future of its result.
    results.push_back(boost::asio::post(
        pool, boost::asio::use_future([chunk = tasks[t], task = t + 1] {
          std::uint64_t sum = 0;
          for (std::uint64_t i = chunk.first; i < chunk.last; ++i)
            sum += ptut::element(i, 0);
          const std::string line = "thread " + std::to_string(this_thread_number()) +
                                   ", task " + std::to_string(task) + ": " +
                                   ptut::describe(chunk) + ", partial sum " +
                                   std::to_string(sum) + "\n";
          std::fputs(line.c_str(), stdout);  // one call: lines do not mix
          return sum;
        })));
  }

  std::uint64_t sum = 0;
  // In task order, whatever order they ran in. get() waits for that task and
  // rethrows what it threw, here in the caller's thread.
  for (std::future<std::uint64_t>& result : results) sum += result.get();
  pool.join();  // every task has run: the threads end. (Destroying a pool with
                // tasks still queued would drop them: Asio's destructor stops it.)
  return ptut::report_sum(sum, n);
}
