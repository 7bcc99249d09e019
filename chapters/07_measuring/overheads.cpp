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
#include <benchmark/benchmark.h>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "pipes.hpp"
#include "ptut/asio.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/machine.hpp"
#include "ptut/process.hpp"

namespace {

namespace asio = boost::asio;
namespace bip = boost::interprocess;

// Marks the benchmark as failed with "what: <the error's text>".
void skip(benchmark::State& state, const char* what, int error) {
  state.SkipWithError((std::string(what) + ": " + std::strerror(error)).c_str());
}

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

void* do_nothing(void*) { return nullptr; }

void thread_pthread(benchmark::State& state) {
  for (auto _ : state) {
    pthread_t thread;
    if (const int error = pthread_create(&thread, nullptr, do_nothing, nullptr); error != 0) {
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
// Processes. ptut::ChildProcesses adds a handful of system calls around fork()
// (blocking signals, PR_SET_PDEATHSIG in the child, sigtimedwait for SIGCHLD)
// to make sure no worker is ever lost; the question is whether a reader should
// ever trade that safety for speed. The object is made once, as a run makes it
// once for all its workers: what is timed is one start() and one wait().
// Most of what it adds is not those system calls but page faults: while parent
// and child both exist, the first write to any page copies it (copy-on-write),
// and the wrapper writes to more pages on both sides (its bookkeeping, stdio
// flushes, the child's stack frames) than a child that calls _exit at once.

// ChildProcesses holds Ctrl-C back while children run and reports it from wait().
// Once they are reaped (and the signal mask restored), end the program by it, as
// if it had never been held back.
void end_if_interrupted(int signal) {
  if (signal != 0) ptut::reraise(signal);
}

// [fork_wait]
void fork_wait_child_processes(benchmark::State& state) {
  int interrupted = 0;
  try {
    ptut::ChildProcesses children;
    for (auto _ : state) {
      children.start(1, [] { return 0; });  // the child leaves with _exit(0)
      if (const auto failure = children.wait()) {
        state.SkipWithError(failure->c_str());
        interrupted = children.interrupted();
        break;
      }
    }
  } catch (const std::system_error& error) {  // fork failed; every child is reaped
    state.SkipWithError(error.what());
  }
  end_if_interrupted(interrupted);
}

// The raw calls: most of the time goes to copying the parent's page tables and
// to the scheduler, which must run the child before waitpid() returns.
void fork_wait_raw(benchmark::State& state) {
  for (auto _ : state) {
    const pid_t child = fork();
    if (child < 0) {
      skip(state, "fork", errno);
      break;
    }
    if (child == 0) _exit(0);  // never return into the benchmark loop
    int status = 0;
    pid_t reaped = 0;
    do {
      reaped = waitpid(child, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped < 0) {
      skip(state, "waitpid", errno);
      break;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("the child did not exit with status 0");
      break;
    }
  }
}
// [fork_wait]

// ---------------------------------------------------------------------------
// Pipes. A round trip to a child and back costs two wake-ups of a sleeping
// process; Asio's synchronous read and write add only a loop over read_some and
// an error_code around the same system calls. (Chapter 4's async_read, with an
// io_context to run, costs more: ch04_pipe_costs measures that one.)
// Where the two processes run matters far more than either library: on two
// cores every message wakes a sleeping core (in a virtual machine, through the
// hypervisor), while under `taskset -c 0` a round trip is two context switches
// on one core, several times faster. Compare the pair within one run only.

using Message = std::uint64_t;  // 8 bytes: one counter, as small as a message gets

// Writing: chapter 4's write_all(), which loops over partial writes and EINTR.
bool write_fully(int fd, const void* data, std::size_t size) {
  const int error = ch04::write_all(fd, data, size);
  errno = error;
  return error == 0;
}

// read() until `size` bytes have arrived; false on an error, or at end-of-file
// with errno 0.
bool read_fully(int fd, void* data, std::size_t size) {
  char* next = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = read(fd, next, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got == 0) errno = 0;
      return false;
    }
    next += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

// The child's whole life: send back whatever arrives, until end-of-file.
int echo_until_end_of_file(int in, int out) {
  char buffer[64];
  for (;;) {
    const ssize_t got = read(in, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return 1;
    if (got == 0) return 0;  // the parent closed its end: the benchmark is over
    if (!write_fully(out, buffer, static_cast<std::size_t>(got))) return 1;
  }
}

// A child process that echoes through two pipes. Both benchmarks of the pair use
// the same child, so they differ only in how the parent writes and reads.
class EchoChild {
 public:
  // \throws std::system_error if a pipe or the fork fails.
  EchoChild() {
    int to_child[2];
    int from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    if (pipe2(from_child, O_CLOEXEC) != 0) {
      const int error = errno;
      close(to_child[0]);
      close(to_child[1]);
      throw std::system_error(error, std::generic_category(), "pipe2");
    }
    try {
      children_.start(1, [&] {
        // The child keeps only its own ends; holding the parent's write end open
        // would mean it never saw end-of-file.
        close(to_child[1]);
        close(from_child[0]);
        return echo_until_end_of_file(to_child[0], from_child[1]);
      });
    } catch (...) {
      for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
      throw;
    }
    close(to_child[0]);  // the parent keeps the other ends
    close(from_child[1]);
    to_ = to_child[1];
    from_ = from_child[0];
  }
  EchoChild(const EchoChild&) = delete;
  EchoChild& operator=(const EchoChild&) = delete;
  // Closes what is still ours; children_ then kills and reaps a child still there.
  ~EchoChild() {
    if (to_ >= 0) close(to_);
    if (from_ >= 0) close(from_);
  }

  [[nodiscard]] int to() const { return to_; }
  [[nodiscard]] int from() const { return from_; }
  // Hand an end over to an Asio descriptor, which closes it.
  int release_to() { return std::exchange(to_, -1); }
  int release_from() { return std::exchange(from_, -1); }

  // Closes our write end (if still ours: an Asio owner must close it first), so
  // that the child reads end-of-file and exits, then reaps the child. A child that
  // failed marks the benchmark failed. Returns the signal that interrupted the
  // wait, or 0.
  int finish(benchmark::State& state) {
    if (to_ >= 0) close(std::exchange(to_, -1));
    if (const auto failure = children_.wait()) state.SkipWithError(failure->c_str());
    return children_.interrupted();
  }

 private:
  ptut::ChildProcesses children_;  // made first: the child needs its signal state
  int to_ = -1;
  int from_ = -1;
};

void pipe_asio(benchmark::State& state) {
  int interrupted = 0;
  try {
    EchoChild child;
    // Made after the fork, so the child inherits no epoll descriptor of ours.
    asio::io_context io;
    asio::posix::stream_descriptor to(io, child.release_to());
    asio::posix::stream_descriptor from(io, child.release_from());
    Message message = 0;
    boost::system::error_code error;
    for (auto _ : state) {
      ++message;
      asio::write(to, asio::buffer(&message, sizeof message), error);
      if (!error) asio::read(from, asio::buffer(&message, sizeof message), error);
      if (error) {
        state.SkipWithError(("pipe: " + error.message()).c_str());
        break;
      }
    }
    to.close(error);  // end-of-file for the child
    interrupted = child.finish(state);
  } catch (const std::exception& error) {  // pipe2 or fork, or Asio could not take a descriptor
    state.SkipWithError(error.what());
  }
  end_if_interrupted(interrupted);
}

void pipe_raw(benchmark::State& state) {
  int interrupted = 0;
  try {
    EchoChild child;
    Message message = 0;
    for (auto _ : state) {
      ++message;
      if (!write_fully(child.to(), &message, sizeof message)) {
        skip(state, "write", errno);
        break;
      }
      if (!read_fully(child.from(), &message, sizeof message)) {
        if (errno == 0) {
          state.SkipWithError("read: end-of-file, the echo child is gone");
        } else {
          skip(state, "read", errno);
        }
        break;
      }
    }
    interrupted = child.finish(state);
  } catch (const std::system_error& error) {
    state.SkipWithError(error.what());
  }
  end_if_interrupted(interrupted);
}

// ---------------------------------------------------------------------------
// Message queues, one process, one 8-byte message in and out. Boost's
// message_queue is NOT built on the mq_* calls: it lives in a shared-memory
// segment (/dev/shm), takes an interprocess_mutex on every send and receive, and
// signals a condition variable only when someone is waiting; with nobody waiting
// it never enters the kernel. The POSIX queue beside it is the operating system's
// own (listed in /dev/mqueue where that is mounted), so every send and every
// receive is a system call. Which wins tells you whether a kernel crossing or
// Boost's locking costs more.

// This program's names: ptut_ch07_<pid>_<what>, removed by each benchmark.
std::string queue_name(const char* what) { return ptut::ipc_name("ch07", getpid(), what); }

void queue_boost(benchmark::State& state) {
  const std::string name = queue_name("bench_boost_queue");
  try {
    bip::message_queue queue(bip::create_only, name.c_str(), 1, sizeof(Message));
    // Open is all a name is needed for: removed now, the segment lives on while
    // mapped, and a benchmark killed midway leaves nothing in /dev/shm.
    bip::message_queue::remove(name.c_str());
    Message message = 0;
    std::size_t size = 0;
    unsigned priority = 0;
    for (auto _ : state) {
      ++message;
      queue.send(&message, sizeof message, 0);
      queue.receive(&message, sizeof message, size, priority);
    }
  } catch (const bip::interprocess_exception& error) {
    bip::message_queue::remove(name.c_str());  // if creating it failed halfway
    state.SkipWithError(error.what());
  }
}

void queue_posix(benchmark::State& state) {
  const std::string name = "/" + queue_name("bench_posix_queue");  // mq_open wants one '/'
  mq_attr attributes{};
  attributes.mq_maxmsg = 1;
  attributes.mq_msgsize = sizeof(Message);
  const mqd_t queue = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attributes);
  if (queue == -1) {  // (mqd_t)-1; an int on Linux
    skip(state, "mq_open", errno);
    return;
  }
  // As above: removed at once, the queue lives until closed, and /dev/mqueue
  // never shows it after a crash.
  if (mq_unlink(name.c_str()) != 0) {
    skip(state, "mq_unlink", errno);
    mq_close(queue);
    return;
  }
  Message message = 0;
  for (auto _ : state) {
    ++message;
    if (mq_send(queue, reinterpret_cast<const char*>(&message), sizeof message, 0) != 0) {
      skip(state, "mq_send", errno);
      break;
    }
    if (mq_receive(queue, reinterpret_cast<char*>(&message), sizeof message, nullptr) !=
        static_cast<ssize_t>(sizeof message)) {
      skip(state, "mq_receive", errno);
      break;
    }
  }
  if (mq_close(queue) != 0) skip(state, "mq_close", errno);
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
  auto& counter = g_own_counters[static_cast<std::size_t>(state.thread_index()) % g_own_counters.size()].value;
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
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  // "<operation> | <implementation>", abstraction first, its raw call after it.
  // Real (wall-clock) time wherever another thread or process does part of the
  // work: the CPU time of the calling thread alone would leave that out.
  benchmark::RegisterBenchmark("thread create+join | std::thread", thread_std)->UseRealTime();
  benchmark::RegisterBenchmark("thread create+join | pthread_create", thread_pthread)->UseRealTime();
  benchmark::RegisterBenchmark("fork+wait | ptut::ChildProcesses", fork_wait_child_processes)->UseRealTime();
  benchmark::RegisterBenchmark("fork+wait | fork+waitpid", fork_wait_raw)->UseRealTime();
  benchmark::RegisterBenchmark("pipe round trip | Boost.Asio", pipe_asio)->UseRealTime();
  benchmark::RegisterBenchmark("pipe round trip | read/write", pipe_raw)->UseRealTime();
  benchmark::RegisterBenchmark("queue send+receive | Boost.Interprocess", queue_boost);
  benchmark::RegisterBenchmark("queue send+receive | POSIX mq", queue_posix);
  benchmark::RegisterBenchmark("atomic add | fetch_add", atomic_fetch_add);
  benchmark::RegisterBenchmark("atomic add | plain +=", atomic_plain_add);
  benchmark::RegisterBenchmark("contended atomic add | one shared atomic", contended_shared_atomic)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("contended atomic add | own padded atomics", contended_own_atomics)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("mutex lock+unlock | std::mutex", mutex_std);
  benchmark::RegisterBenchmark("mutex lock+unlock | pthread_mutex", mutex_pthread);
  benchmark::RegisterBenchmark("mutex lock+unlock | interprocess_mutex", mutex_interprocess);
  benchmark::RegisterBenchmark("contended mutex lock+unlock | std::mutex", contended_mutex_std)
      ->Threads(kThreads)
      ->UseRealTime();
  benchmark::RegisterBenchmark("system call | getppid", system_call);

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
