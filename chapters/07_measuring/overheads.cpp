// What each abstraction this tutorial builds on costs, measured beside the raw
// call it wraps: a thread, a forked process, a pipe round trip, a message queue,
// an atomic add, a mutex, and one bare system call, the floor every trip into the
// kernel pays. Each row names "<operation> | <implementation>"; the abstraction
// comes first and the raw call right after it, so the difference between the two
// rows is what the abstraction adds.
//
//   build/bin/ch07_overheads --benchmark_min_time=0.2
//
// and, for the data the chapter plots, the same with
//
//   --benchmark_out=overheads.json --benchmark_out_format=json
//
// Every time is in nanoseconds, also the ones that take tens of microseconds.
//
// The costs that need a second process are in overheads_ipc.cpp.
#include <benchmark/benchmark.h>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <thread>

#include "overheads_ipc.hpp"
#include "ptut/benchmark_main.hpp"
#include "ptut/machine.hpp"

namespace {

using namespace ch07::overheads;
namespace bip = boost::interprocess;

// ---------------------------------------------------------------------------
// Threads. std::thread is a thin layer over pthread_create: it allocates the
// callable's state on the heap and type-erases it. Next to the kernel's clone()
// and the new thread's stack, that should vanish in the noise.

void thread_std(benchmark::State& state) {
  for (auto _ : state) {
    try {
      std::thread thread([] {});
      thread.join();
    } catch (const std::system_error& error) {
      state.SkipWithError((std::string("std::thread: ") + error.what()).c_str());
      break;
    }
  }
}

void* do_nothing(void*) {
  return nullptr;
}

void thread_pthread(benchmark::State& state) {
  for (auto _ : state) {
    pthread_t thread;
    if (const int error = pthread_create(&thread, nullptr, do_nothing, nullptr);
        error != 0) {
      skip(state, "pthread_create", error);
      break;
    }
    if (const int error = pthread_join(thread, nullptr); error != 0) {
      skip(state, "pthread_join", error);
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// Atomics. On x86-64 both loops compile to the same instruction, an add to
// memory; fetch_add only puts a lock prefix in front of it. Even with no other
// core wanting the line, the prefix makes the core finish its pending stores
// first, which costs several times the plain add: small, but paid on every update.

void atomic_fetch_add(benchmark::State& state) {
  std::atomic<std::uint64_t> counter{0};
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
  benchmark::DoNotOptimize(counter);
}

void atomic_plain_add(benchmark::State& state) {
  std::uint64_t counter = 0;
  benchmark::DoNotOptimize(&counter);  // its address escapes...
  for (auto _ : state) {
    counter += 1;
    benchmark::ClobberMemory();  // ...so each add must reach memory, as the atomic's does
  }
  benchmark::DoNotOptimize(counter);
}

// Two threads adding to the same cache line: each add first has to fetch the line
// from the other core. Giving each thread its own counter, alone on its line, is
// the same instruction with the contention taken away (chapter 3's padded slots).
// How to read a ->Threads(2) row: Google Benchmark divides the wall time by the
// iterations of both threads together, so it is the time per operation of the
// pair; two threads that never get in each other's way show half the one-thread
// time, and each thread's own operation takes twice the number shown. These rows
// need two idle cores: on a busy machine the threads take turns on one core, and
// with no second core in play there is nothing to contend.
constexpr int kThreads = 2;

alignas(ptut::kCacheLine) std::atomic<std::uint64_t> g_shared_counter{0};

struct alignas(ptut::kCacheLine) PaddedCounter {
  std::atomic<std::uint64_t> value{0};
};
std::array<PaddedCounter, kThreads> g_own_counters;

void contended_shared_atomic(benchmark::State& state) {
  for (auto _ : state) g_shared_counter.fetch_add(1, std::memory_order_relaxed);
}

void contended_own_atomics(benchmark::State& state) {
  auto& counter = g_own_counters[static_cast<std::size_t>(state.thread_index()) %
                                 g_own_counters.size()]
                      .value;
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------
// Mutexes. Uncontended, lock and unlock are one atomic instruction each, in user
// space; std::mutex is pthread_mutex_t under a C++ name. interprocess_mutex is a
// pthread_mutex_t too (process-shared), but this project builds Boost with
// BOOST_INTERPROCESS_ENABLE_TIMEOUT_WHEN_LOCKING (see common/CMakeLists.txt), so
// each lock() first reads the clock and turns it into a Boost date-time deadline,
// then calls pthread_mutex_timedlock: the price of not waiting for ever on a dead
// owner. Boost's message_queue above pays it twice per send+receive, too.

void mutex_std(benchmark::State& state) {
  std::mutex mutex;
  for (auto _ : state) {
    mutex.lock();
    mutex.unlock();
  }
}

void mutex_pthread(benchmark::State& state) {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  for (auto _ : state) {
    if (const int error = pthread_mutex_lock(&mutex); error != 0) {
      skip(state, "pthread_mutex_lock", error);
      break;
    }
    if (const int error = pthread_mutex_unlock(&mutex); error != 0) {
      skip(state, "pthread_mutex_unlock", error);
      break;
    }
  }
  pthread_mutex_destroy(&mutex);
}

void mutex_interprocess(benchmark::State& state) {
  try {
    // On the stack here; chapter 2 puts it in shared memory, which changes nothing
    // while only one thread takes it.
    bip::interprocess_mutex mutex;
    for (auto _ : state) {
      mutex.lock();
      mutex.unlock();
    }
  } catch (const bip::interprocess_exception& error) {
    state.SkipWithError(error.what());
  }
}

// Two threads taking turns: now a lock can find the mutex held and sleep in the
// kernel (futex), and the line holding it moves between the cores.
std::mutex g_contended_mutex;

void contended_mutex_std(benchmark::State& state) {
  for (auto _ : state) {
    g_contended_mutex.lock();
    g_contended_mutex.unlock();
  }
}

// ---------------------------------------------------------------------------
// The floor: a system call that does next to nothing. Through syscall() so that
// no C library can answer from a cache; every pipe write, queue send or futex
// wait above pays at least this.

void system_call(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(syscall(SYS_getppid));
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a dead echo child means EPIPE, not a dead benchmark

  // "<operation> | <implementation>", abstraction first, its raw call after it.
  // Real (wall-clock) time wherever another thread or process does part of the
  // work: the CPU time of the calling thread alone would leave that out.
  benchmark::RegisterBenchmark("thread create+join | std::thread", thread_std)
      ->UseRealTime();
  benchmark::RegisterBenchmark("thread create+join | pthread_create", thread_pthread)
      ->UseRealTime();
  benchmark::RegisterBenchmark("fork+wait | ptut::ChildProcesses",
                               fork_wait_child_processes)
      ->UseRealTime();
  benchmark::RegisterBenchmark("fork+wait | fork+waitpid", fork_wait_raw)->UseRealTime();
  benchmark::RegisterBenchmark("pipe round trip | Boost.Asio", pipe_asio)->UseRealTime();
  benchmark::RegisterBenchmark("pipe round trip | read/write", pipe_raw)->UseRealTime();
  benchmark::RegisterBenchmark("queue send+receive | Boost.Interprocess", queue_boost);
  benchmark::RegisterBenchmark("queue send+receive | POSIX mq", queue_posix);
  benchmark::RegisterBenchmark("atomic add | fetch_add", atomic_fetch_add);
  benchmark::RegisterBenchmark("atomic add | plain +=", atomic_plain_add);
  benchmark::RegisterBenchmark("contended atomic add | one shared atomic",
                               contended_shared_atomic)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("contended atomic add | own padded atomics",
                               contended_own_atomics)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("mutex lock+unlock | std::mutex", mutex_std);
  benchmark::RegisterBenchmark("mutex lock+unlock | pthread_mutex", mutex_pthread);
  benchmark::RegisterBenchmark("mutex lock+unlock | interprocess_mutex",
                               mutex_interprocess);
  benchmark::RegisterBenchmark("contended mutex lock+unlock | std::mutex",
                               contended_mutex_std)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("system call | getppid", system_call);

  return ptut::run_benchmarks(argc, argv);
}
