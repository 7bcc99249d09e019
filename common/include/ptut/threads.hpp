/// \file
/// \brief Whether the system would start some number of threads now, asked before
/// a library that cannot take no for an answer starts them.
#pragma once

#include <future>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace ptut {

/// oneTBB ends the process (std::terminate, "pthread_create has failed") when the
/// system refuses one of the worker threads it starts, as a process limit
/// (`ulimit -u`, a container's pids.max) does. Before handing it work, a program
/// asks for as many threads itself: `count` threads alive at once, then let go,
/// joined before this returns. Throws std::runtime_error naming the first thread
/// refused, `user` (who wanted them) and what the system said.
inline void require_threads(unsigned count, const std::string& user) {
  std::vector<std::jthread> probes;  // joined last: after `release` lets them end
  std::promise<void> release;        // set, or destroyed, on the way out
  const std::shared_future<void> go = release.get_future().share();
  probes.reserve(count);
  try {
    for (unsigned t = 0; t < count; ++t) probes.emplace_back([go] { go.wait(); });
  } catch (const std::system_error& refused) {
    throw std::runtime_error("thread " + std::to_string(probes.size() + 1) + " of the " +
                             std::to_string(count) + " " + user +
                             " would use could not start (" + refused.what() +
                             "); nothing ran");
  }
  release.set_value();
}

}  // namespace ptut
