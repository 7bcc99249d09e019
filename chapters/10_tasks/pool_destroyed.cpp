// A pool destroyed with tasks still queued, twice: once after join(), once
// without. Boost.Asio's thread_pool stops in its destructor, and a stopped pool
// runs nothing more: the tasks still queued are destroyed unrun, and their futures
// say so (std::future_errc::broken_promise) instead of leaving get() waiting.
// Then stop() alone: the queued tasks stay queued, unrun, and their futures are
// told nothing until the pool (and its queue) is destroyed.
//
//   build/bin/ch10_pool_destroyed
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Four tasks of 100 ms each, posted to `pool`: their futures.
std::vector<std::future<int>> post_four_tasks(boost::asio::thread_pool& pool) {
  std::vector<std::future<int>> results;
  for (int task = 1; task <= 4; ++task) {
    results.push_back(boost::asio::post(pool, boost::asio::use_future([task] {
                                          std::this_thread::sleep_for(
                                              std::chrono::milliseconds(100));
                                          return task;
                                        })));
  }
  return results;
}

// What a task's future says once its pool is gone: its result, or that it was
// dropped unrun.
std::string outcome(std::future<int>& result) {
  try {
    return "ran, returned " + std::to_string(result.get());
  } catch (const std::future_error& dropped) {  // never ran
    return "dropped (" + dropped.code().message() + ")";
  }
}

// The four tasks on a pool of one thread, the pool gone before the caller reads a
// result: joined first when `join` is true.
void four_tasks(bool join) {
  std::vector<std::future<int>> results;
  {
    boost::asio::thread_pool pool(1);
    results = post_four_tasks(pool);
    if (join) pool.join();  // waits until the queue is empty
  }                         // ~thread_pool(): stop(), then join the thread
  std::cout << (join ? "join(), then destroyed:\n" : "destroyed at once:\n");
  for (std::size_t task = 1; task <= results.size(); ++task) {
    std::cout << "  task " << task << ": " << outcome(results[task - 1]) << '\n';
  }
}

// stop() with the pool still there: a queued task's future is not ready, and would
// never be (get() would wait for ever), until the pool's destructor destroys the
// task unrun.
void stopped_then_destroyed() {
  std::vector<std::future<int>> results;
  {
    boost::asio::thread_pool pool(1);
    results = post_four_tasks(pool);
    pool.stop();  // the thread ends after the task it is running, if any
    pool.join();
    const bool ready = results.back().wait_for(std::chrono::milliseconds(200)) ==
                       std::future_status::ready;
    std::cout << "stop(), the pool still there:\n  task 4, 200 ms later: "
              << (ready ? "ready" : "not ready (queued, never to run)") << '\n';
  }  // ~thread_pool(): the queue and the task in it destroyed
  std::cout << "  task 4, the pool destroyed: " << outcome(results.back()) << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::cerr << "ch10_pool_destroyed: takes no arguments, not '" << argv[1] << "'\n";
    return 2;
  }
  four_tasks(true);
  four_tasks(false);
  stopped_then_destroyed();
}
