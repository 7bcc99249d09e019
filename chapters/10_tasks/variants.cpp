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
#include <system_error>
#include <thread>
#include <vector>

#include "queue_pool.hpp"

namespace ch10 {

// [pool]
std::uint64_t asio_pool(Job& job) {
  boost::asio::thread_pool pool(job.threads());
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  for (std::uint64_t t = 1; t <= job.tasks(); ++t) {
    results.push_back(boost::asio::post(
        pool, boost::asio::use_future([&job, t] { return job.run_task(t); })));
  }
  const std::uint64_t sum = job.collect(results, [&pool] {
    pool.stop();  // Asio's own cancel: queued tasks are never run
    pool.join();  // after the running ones end
    return true;
  });
  pool.join();
  return sum;
}
// [pool]

// [async]
std::uint64_t async_each(Job& job) {
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  try {
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

std::uint64_t packaged(Job& job) {
  QueuePool<std::uint64_t> pool(job.threads());
  std::vector<std::future<std::uint64_t>> results;
  results.reserve(job.tasks());
  for (std::uint64_t t = 1; t <= job.tasks(); ++t)
    results.push_back(pool.submit([&job, t] { return job.run_task(t); }));
  return job.collect(results, [&pool] {
    pool.stop();
    return true;
  });
}

// [stealing]
std::uint64_t stealing(Job& job) {
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
      arena.execute([&] {
        // Each run() pushes a task onto this thread's own deque; idle threads
        // steal from its other end. wait() runs tasks too, until the group is
        // done, and rethrows the first exception a task threw (oneTBB then
        // cancels the tasks that have not started).
        for (std::uint64_t t = 1; t <= job.tasks(); ++t)
          group.run([&job, &sums, t] { sums[t - 1] = job.run_task(t); });
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
