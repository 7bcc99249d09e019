// Chapter 12: the statistical counter's reader (reader.hpp).
#include "reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "ptut/timing.hpp"

namespace ch12 {

// [reader]
// It waits between reads on a condition variable that a stop request wakes, so
// that the run's time does not include the rest of a sleep.
void read_while_running(std::stop_token stop, const std::function<std::uint64_t()>& read,
                        std::chrono::microseconds every, Result& result) {
  std::vector<double> read_ns;
  std::mutex mutex;  // for the wait only: a stop request ends it at once
  std::condition_variable_any stopped;
  std::unique_lock lock(mutex);
  do {  // at least once, however soon the threads end
    const ptut::Stopwatch stopwatch;
    result.last_read = read();
    read_ns.push_back(stopwatch.seconds() * 1e9);
    ++result.reads;
    // false either way: the predicate never holds; the stop request is asked below
    (void)stopped.wait_for(lock, stop, every, [] { return false; });
  } while (!stop.stop_requested());
  std::nth_element(read_ns.begin(), read_ns.begin() + read_ns.size() / 2, read_ns.end());
  result.ns_per_read = read_ns[read_ns.size() / 2];  // the median
}
// [reader]

}  // namespace ch12
