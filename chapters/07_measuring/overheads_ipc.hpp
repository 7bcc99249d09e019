/// \file
/// \brief ch07_overheads' benchmarks that need a second process: a fork and its
/// wait, a pipe round trip, a message queue round trip (overheads_ipc.cpp). The
/// rest, and main(), are in overheads.cpp.
#pragma once

#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

namespace ch07::overheads {

/// Marks the benchmark as failed with "what: <the error's text>".
inline void skip(benchmark::State& state, const char* what, int error) {
  state.SkipWithError((std::string(what) + ": " + std::strerror(error)).c_str());
}

/// ptut::ChildProcesses: start() and wait()
void fork_wait_child_processes(benchmark::State& state);
void fork_wait_raw(benchmark::State& state);  ///< fork(), _exit(), waitpid()
/// a round trip, read with Boost.Asio
void pipe_asio(benchmark::State& state);
/// the same with read() and write()
void pipe_raw(benchmark::State& state);
/// Boost.Interprocess message_queue
void queue_boost(benchmark::State& state);
/// a POSIX message queue (mq_open)
void queue_posix(benchmark::State& state);

}  // namespace ch07::overheads
