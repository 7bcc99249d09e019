// What a message through a pipe costs on this machine, and what Asio adds to it:
// Google Benchmark timings of the raw system calls next to the same exchange
// through an io_context, with the chapter's own record format and write_all().
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <system_error>

#include "pipes.hpp"
#include "ptut/asio.hpp"
#include "ptut/benchmark_main.hpp"

namespace {

namespace asio = boost::asio;

// The record the workers send most often: a header and a progress payload.
struct Message {
  ch04::RecordHeader header{ch04::kMagic,
                            static_cast<std::uint16_t>(ch04::RecordType::progress),
                            1,
                            0,
                            sizeof(ch04::ProgressPayload),
                            0};
  ch04::ProgressPayload progress{0};
};
static_assert(sizeof(Message) == 32);

constexpr int kBatch = 1000;  // records per timed iteration of a stream

// read() until `size` bytes have arrived; false at end-of-file or on an error.
bool read_exactly(int fd, void* data, std::size_t size) {
  char* next = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = read(fd, next, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    next += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

void make_pipe(int ends[2]) {
  if (pipe2(ends, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
}

// A child process at the other end of two pipes: it echoes every record back
// (Role::echo) or sends records as fast as it can (Role::stream).
class Peer {
 public:
  enum class Role { echo, stream };

  explicit Peer(Role role) {
    int to_child[2];
    int from_child[2];
    make_pipe(to_child);
    make_pipe(from_child);
    pid_ = fork();
    if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(to_child[1]);
      close(from_child[0]);
      Message message;
      if (role == Role::echo) {
        while (read_exactly(to_child[0], &message, sizeof message) &&
               ch04::write_all(from_child[1], &message, sizeof message) == 0) {
        }
      } else {
        while (ch04::write_all(from_child[1], &message, sizeof message) == 0) {
        }
      }
      _exit(0);  // end-of-file or EPIPE: the benchmark is over
    }
    close(to_child[0]);
    close(from_child[1]);
    to_ = to_child[1];
    from_ = from_child[0];
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  ~Peer() {
    close(to_);
    if (from_ >= 0) close(from_);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  [[nodiscard]] int to() const { return to_; }
  [[nodiscard]] int from() const { return from_; }
  // Hands the read end over to an Asio descriptor, which closes it.
  int release_from() { return std::exchange(from_, -1); }

 private:
  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
};

// [raw_costs]
// The floor: one write() and one read() of a 32-byte record, no other process.
void write_then_read_in_one_process(benchmark::State& state) {
  int ends[2];
  make_pipe(ends);
  Message message;
  for (auto _ : state) {
    ch04::write_all(ends[1], &message, sizeof message);
    read_exactly(ends[0], &message, sizeof message);
  }
  close(ends[0]);
  close(ends[1]);
}
BENCHMARK(write_then_read_in_one_process);

// A record to a child and back: two wake-ups of a sleeping process.
void round_trip_raw(benchmark::State& state) {
  Peer peer(Peer::Role::echo);
  Message message;
  for (auto _ : state) {
    ch04::write_all(peer.to(), &message, sizeof message);
    if (!read_exactly(peer.from(), &message, sizeof message))
      state.SkipWithError("the echo child is gone");
  }
}
BENCHMARK(round_trip_raw);
// [raw_costs]

// [asio_costs]
// The same round trip, with the answer read by async_read in an io_context.
void round_trip_asio(benchmark::State& state) {
  Peer peer(Peer::Role::echo);
  asio::io_context io;
  asio::posix::stream_descriptor from(io, peer.release_from());
  Message message;
  for (auto _ : state) {
    ch04::write_all(peer.to(), &message, sizeof message);
    boost::system::error_code failed;
    asio::async_read(
        from, asio::buffer(&message, sizeof message),
        [&](boost::system::error_code error, std::size_t) { failed = error; });
    io.restart();
    io.run();
    if (failed) state.SkipWithError(failed.message().c_str());
  }
}
BENCHMARK(round_trip_asio);
// [asio_costs]

// A child streaming records; the parent reads each as the chapter does, header
// then payload: with read() here...
void stream_raw(benchmark::State& state) {
  Peer peer(Peer::Role::stream);
  Message message;
  for (auto _ : state) {
    for (int r = 0; r < kBatch; ++r) {
      if (!read_exactly(peer.from(), &message.header, sizeof message.header) ||
          !read_exactly(peer.from(), &message.progress, sizeof message.progress)) {
        state.SkipWithError("the streaming child is gone");
        break;
      }
    }
  }
  // Records per second; bytes per second would be the same figure times the
  // record's size, and one more column the page would have to fit.
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(stream_raw)->UseRealTime();

// ...and with a chain of async_reads in a running io_context, as the Gatherer does.
class AsioStream {
 public:
  AsioStream(asio::io_context& io, int fd) : pipe_(io, fd) {}
  void read_records(int count) {
    left_ = count;
    read_header();
  }
  [[nodiscard]] const boost::system::error_code& failed() const { return failed_; }

 private:
  void read_header() {
    asio::async_read(pipe_, asio::buffer(&message_.header, sizeof message_.header),
                     [this](boost::system::error_code error, std::size_t) {
                       if (error) return void(failed_ = error);
                       read_payload();
                     });
  }
  void read_payload() {
    asio::async_read(pipe_, asio::buffer(&message_.progress, sizeof message_.progress),
                     [this](boost::system::error_code error, std::size_t) {
                       if (error) return void(failed_ = error);
                       if (--left_ > 0) read_header();
                     });
  }

  asio::posix::stream_descriptor pipe_;
  Message message_;
  int left_ = 0;
  boost::system::error_code failed_;
};

void stream_asio(benchmark::State& state) {
  Peer peer(Peer::Role::stream);
  asio::io_context io;
  AsioStream stream(io, peer.release_from());
  for (auto _ : state) {
    stream.read_records(kBatch);
    io.restart();
    io.run();
    if (stream.failed()) state.SkipWithError(stream.failed().message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(stream_asio)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a child writing after we stop gets EPIPE
  return ptut::run_benchmarks(argc, argv);
}
