// Chapter 10's variants: the same tasks handed to threads in four ways. Each
// submits every task, then waits for the results through Job (job.cpp), which
// also cancels what has not started when a task fails.
#include "variants.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <exception>
#include <future>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/threads.hpp"
#include "ptut/trace.hpp"
#include "queue_pool.hpp"

namespace ch10 {

// Boost 1.74's thread_pool(K) starts its K threads in its constructor. When the
// system refuses one (a process limit, a container's pids.max), the constructor
// throws, and unwinding joins the threads it did start, which wait for work that
// never comes: the program hangs. So `pool` gives Asio's pool no threads of its
// own and starts K that attach to it. A refusal is then std::jthread's
// std::system_error, here, where the thread has a number; the pool is stopped and
// the threads that did start are joined.
class PoolThreads {
 public:
  PoolThreads(boost::asio::thread_pool& pool, unsigned count) : pool_(pool) {
    const ptut::trace::Span starting("start workers");
    threads_.reserve(count);
    try {
      for (unsigned t = 0; t < count; ++t)
        threads_.emplace_back([&pool] { pool.attach(); });  // runs it until stop()
    } catch (const std::system_error& refused) {
      const std::size_t started = threads_.size();
      stop_and_join();
      throw RunFailed("pool thread " + std::to_string(started + 1) + " of " +
                      std::to_string(count) + " could not start (" + refused.what() +
                      "); the " + std::to_string(started) +
                      " started before it were stopped and joined");
    }
  }
  PoolThreads(const PoolThreads&) = delete;
  PoolThreads& operator=(const PoolThreads&) = delete;
  ~PoolThreads() { stop_and_join(); }

  /// Stops the pool (tasks still queued never run) and joins its threads, after
  /// the tasks they are running.
  void stop_and_join() {
    pool_.stop();
    threads_.clear();  // a std::jthread joins when destroyed
  }

 private:
  boost::asio::thread_pool& pool_;
  std::vector<std::jthread> threads_;
};

// [pool]
std::uint64_t asio_pool(Job& job) {
  boost::asio::thread_pool pool(0);          // Asio's pool, no threads yet,
  PoolThreads threads(pool, job.threads());  // and K of ours that run it
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  {
    const ptut::trace::Span submitting("submit tasks");  // --trace only
    for (std::uint64_t t = 1; t <= job.tasks(); ++t) {
      results.push_back(boost::asio::post(
          pool, boost::asio::use_future([&job, t] { return job.run_task(t); })));
    }
  }
  return job.collect(results, [&threads] {
    threads.stop_and_join();  // Asio's own cancel: queued tasks are never run
    return true;
  });
}  // every task has run: `threads` stops the pool and joins them
// [pool]

// [async]
std::uint64_t async_each(Job& job) {
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  try {
    const ptut::trace::Span submitting("submit tasks");  // --trace only
    for (std::uint64_t t = 1; t <= job.tasks(); ++t) {
      // A new thread for every task, started at once: std::launch::async. (Without
      // it the library may defer the task until get(), on the caller's thread.)
      results.push_back(
          std::async(std::launch::async, [&job, t] { return job.run_task(t); }));
    }
  } catch (const std::system_error& refused) {
    // The system would not start another thread. Each future of std::async
    // waits for its thread when destroyed: returning joins all of them.
    job.fail_to_start(results.size() + 1, refused.what(), results);
  }
  return job.collect(results, {});  // a started thread cannot be unstarted
}
// [async]

// QueuePool's constructor throws std::system_error when the system refuses one of
// its threads, once the threads it did start are stopped and joined (its vector of
// std::jthread is destroyed): said here with what the threads were for.
std::unique_ptr<QueuePool<std::uint64_t>> start_queue_pool(unsigned threads) {
  const ptut::trace::Span starting("start workers");
  try {
    return std::make_unique<QueuePool<std::uint64_t>>(threads);
  } catch (const std::system_error& refused) {
    throw RunFailed("QueuePool could not start its " + std::to_string(threads) +
                    " threads (" + refused.what() +
                    "); those it started were stopped and joined");
  }
}

std::uint64_t packaged(Job& job) {
  const auto pool = start_queue_pool(job.threads());
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  {
    const ptut::trace::Span submitting("submit tasks");  // --trace only
    for (std::uint64_t t = 1; t <= job.tasks(); ++t)
      results.push_back(pool->submit([&job, t] { return job.run_task(t); }));
  }
  return job.collect(results, [&pool] {
    pool->stop();
    return true;
  });
}

// [stealing]
std::uint64_t stealing(Job& job) {
  ptut::require_threads(job.threads(), "oneTBB");  // or it may end the process
  // oneTBB keeps its worker threads for the next parallel call. Attached here and
  // finalized at the end, they are joined before this returns, as a pool's are.
  tbb::task_scheduler_handle scheduler{tbb::attach{}};
  std::vector<std::uint64_t> sums(job.tasks(), 0);
  std::exception_ptr failure;
  {
    // K threads in all: oneTBB may start K − 1 workers, and the arena's K slots
    // take them and the thread that runs the group (below, not the caller: the
    // caller watches).
    const tbb::global_control allowed(tbb::global_control::max_allowed_parallelism,
                                      job.threads());
    tbb::task_arena arena(static_cast<int>(job.threads()));
    tbb::task_group group;
    std::promise<void> done;
    std::future<void> finished = done.get_future();
    std::jthread runner([&] {
      ptut::trace::name_thread("submitter");  // until it runs a task: "thread N"
      arena.execute([&] {
        // Each run() pushes a task onto this thread's own deque; idle threads
        // steal from its other end. wait() runs tasks too, until the group is
        // done, and rethrows the first exception a task threw (oneTBB then
        // cancels the tasks that have not started).
        job.note_submitter();  // for --trace: what other threads run was stolen
        {
          const ptut::trace::Span submitting("submit tasks");  // --trace only
          for (std::uint64_t t = 1; t <= job.tasks(); ++t)
            group.run([&job, &sums, t] { sums[t - 1] = job.run_task(t); });
        }
        try {
          group.wait();
        } catch (...) {
          failure = std::current_exception();
        }
      });
      done.set_value();
    });
    // No group.cancel() when a task fails: oneTBB cancels the group itself as it
    // catches the exception, and a cancel from outside that came first would make
    // it drop the exception (wait() then returns "canceled", and the failure is
    // lost). The stop the watch requests still ends the tasks that are running.
    job.watch(finished, nullptr);
  }
  (void)tbb::finalize(scheduler, std::nothrow);  // false: another user still has them
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& thrown) {
      job.fail(thrown.what());
    }
  }
  std::uint64_t sum = 0;
  for (const std::uint64_t partial : sums) sum += partial;
  return sum;
}
// [stealing]

}  // namespace ch10
