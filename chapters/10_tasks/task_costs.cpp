// What handing out one task costs, each way, with Google Benchmark: a task that
// does nothing, so that only the handing-out is timed.
//
//   round trip: submit one task and wait for its result, again and again (the
//               latency: a thread is woken, or started, for every task);
//   batch:      submit 1000 tasks, then wait for all (the throughput: the threads
//               take task after task without sleeping in between).
//
// per_task is the time per task. Chapter 7's overheads (ch07_overheads) time a
// thread's start and a fork beside these.
//
//   build/bin/ch10_task_costs [--benchmark_min_time=0.2]
#include <benchmark/benchmark.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdint>
#include <future>
#include <vector>

#include "ptut/benchmark_main.hpp"
#include "queue_pool.hpp"

namespace {

constexpr int kBatch = 1000;

std::uint64_t nothing() {
  return 1;
}

void per_task(benchmark::State& state, int tasks_per_iteration) {
  state.counters["per_task"] = benchmark::Counter(
      tasks_per_iteration,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// [costs]
void async_round_trip(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::async(std::launch::async, nothing).get());
  }
  per_task(state, 1);
}

void pool_round_trip(benchmark::State& state) {
  boost::asio::thread_pool pool(1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        boost::asio::post(pool, boost::asio::use_future(nothing)).get());
  }
  per_task(state, 1);
}

void packaged_round_trip(benchmark::State& state) {
  ch10::QueuePool<std::uint64_t> pool(1);
  for (auto _ : state) benchmark::DoNotOptimize(pool.submit(nothing).get());
  per_task(state, 1);
}

void task_group_round_trip(benchmark::State& state) {
  const tbb::global_control allowed(tbb::global_control::max_allowed_parallelism, 2);
  tbb::task_arena arena(2);
  arena.execute([&] {
    tbb::task_group group;
    for (auto _ : state) {
      std::uint64_t result = 0;
      group.run([&result] { result = nothing(); });
      group.wait();
      benchmark::DoNotOptimize(result);
    }
  });
  per_task(state, 1);
}
// [costs]

void async_batch(benchmark::State& state) {
  std::vector<std::future<std::uint64_t>> results(kBatch);
  for (auto _ : state) {
    for (auto& result : results) result = std::async(std::launch::async, nothing);
    for (auto& result : results) benchmark::DoNotOptimize(result.get());
  }
  per_task(state, kBatch);
}

void pool_batch(benchmark::State& state) {
  boost::asio::thread_pool pool(2);
  std::vector<std::future<std::uint64_t>> results(kBatch);
  for (auto _ : state) {
    for (auto& result : results)
      result = boost::asio::post(pool, boost::asio::use_future(nothing));
    for (auto& result : results) benchmark::DoNotOptimize(result.get());
  }
  per_task(state, kBatch);
}

void packaged_batch(benchmark::State& state) {
  ch10::QueuePool<std::uint64_t> pool(2);
  std::vector<std::future<std::uint64_t>> results(kBatch);
  for (auto _ : state) {
    for (auto& result : results) result = pool.submit(nothing);
    for (auto& result : results) benchmark::DoNotOptimize(result.get());
  }
  per_task(state, kBatch);
}

void task_group_batch(benchmark::State& state) {
  const tbb::global_control allowed(tbb::global_control::max_allowed_parallelism, 2);
  tbb::task_arena arena(2);
  std::vector<std::uint64_t> results(kBatch);
  arena.execute([&] {
    tbb::task_group group;
    for (auto _ : state) {
      for (auto& result : results) group.run([&result] { result = nothing(); });
      group.wait();
      benchmark::DoNotOptimize(results.data());
    }
  });
  per_task(state, kBatch);
}

}  // namespace

BENCHMARK(async_round_trip)->UseRealTime();
BENCHMARK(pool_round_trip)->UseRealTime();
BENCHMARK(packaged_round_trip)->UseRealTime();
BENCHMARK(task_group_round_trip)->UseRealTime();
BENCHMARK(async_batch)->UseRealTime();
BENCHMARK(pool_batch)->UseRealTime();
BENCHMARK(packaged_batch)->UseRealTime();
BENCHMARK(task_group_batch)->UseRealTime();

int main(int argc, char** argv) {
  return ptut::run_benchmarks(argc, argv);
}
