/// \file
/// \brief Chapter 10's variants, one function each (variants.cpp): the same tasks
/// (Job::run_task) handed to threads four ways. Each returns the sum, or throws
/// RunFailed after cancelling what had not started.
#pragma once

#include <cstdint>

#include "job.hpp"

namespace ch10 {

/// `pool` and `static`: a boost::asio::thread_pool of `--workers` threads, every
/// task posted with use_future; on a failure, `stop()` drops the queue.
[[nodiscard]] std::uint64_t asio_pool(Job& job);

/// `async`: one std::async(std::launch::async, …) per task, a thread each.
[[nodiscard]] std::uint64_t async_each(Job& job);

/// `packaged`: the pool written out (QueuePool): std::jthreads taking
/// std::packaged_tasks from one queue.
[[nodiscard]] std::uint64_t packaged(Job& job);

/// `stealing`: a tbb::task_group in an arena of `--workers` threads, each with its
/// own deque of tasks; an idle thread steals from another's.
[[nodiscard]] std::uint64_t stealing(Job& job);

}  // namespace ch10
