// ch07_overheads, the costs that need a second process: a fork and its wait, a
// pipe round trip (through Boost.Asio and raw), a message queue round trip
// (Boost.Interprocess and POSIX). Each abstraction beside the raw call it wraps.
#include "overheads_ipc.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <system_error>
#include <utility>

#include "pipes.hpp"
#include "ptut/asio.hpp"
#include "ptut/ipc_names.hpp"
#include "ptut/process.hpp"

namespace ch07::overheads {

namespace asio = boost::asio;
namespace bip = boost::interprocess;

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
    if (pipe2(to_child, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe2");
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
      for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]})
        close(fd);
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
  } catch (const std::exception& error) {
    // Pipe2 or fork, or Asio could not take a descriptor.
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
std::string queue_name(const char* what) {
  return ptut::ipc_name("ch07", getpid(), what);
}

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
  // mq_open wants one '/'
  const std::string name = "/" + queue_name("bench_posix_queue");
  mq_attr attributes{};
  attributes.mq_maxmsg = 1;
  attributes.mq_msgsize = sizeof(Message);
  const mqd_t queue =
      mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attributes);
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

}  // namespace ch07::overheads
