/// \file
/// \brief A thread pool written out: std::jthreads taking std::packaged_tasks from
/// one queue, guarded by a mutex and a condition variable. What `pool`'s
/// boost::asio::thread_pool does underneath, in about forty lines.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace ch10 {

// [queue_pool]
/// K threads and one queue of tasks returning R: chapter 5's work queue, inside
/// one process.
template <class R>
class QueuePool {
 public:
  /// Starts `threads` threads, each waiting for a task.
  explicit QueuePool(unsigned threads) {
    for (unsigned t = 0; t < threads; ++t)
      threads_.emplace_back([this](std::stop_token stop) { work(stop); });
  }

  /// Queues `task` and hands back the future of its result (or of its exception).
  template <class Task>
  std::future<R> submit(Task task) {
    std::packaged_task<R()> packaged(std::move(task));
    std::future<R> result = packaged.get_future();
    {
      const std::scoped_lock lock(mutex_);
      queue_.push_back(std::move(packaged));
    }
    ready_.notify_one();
    return result;
  }

  /// Stops the threads after the tasks they are running, and joins them. Tasks
  /// still queued never run: their futures report std::future_errc::broken_promise
  /// when the pool is destroyed. (The destructor does the same: wait for the
  /// futures first if every task must run.)
  void stop() {
    for (std::jthread& thread : threads_) thread.request_stop();
    threads_.clear();  // a std::jthread joins when destroyed
  }

  ~QueuePool() { stop(); }

 private:
  void work(std::stop_token stop) {
    for (;;) {
      std::packaged_task<R()> task;
      {
        std::unique_lock lock(mutex_);
        // Sleeps until a task is queued or a stop is requested (the stop token
        // wakes the wait: no lost wake-up).
        ready_.wait(lock, stop, [this] { return !queue_.empty(); });
        if (stop.stop_requested()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();  // outside the lock: the others take tasks meanwhile
    }
  }

  std::mutex mutex_;
  std::condition_variable_any ready_;  // _any: it can wait on a stop token too
  std::deque<std::packaged_task<R()>> queue_;
  std::vector<std::jthread> threads_;  // last: joined before the queue goes
};
// [queue_pool]

}  // namespace ch10
