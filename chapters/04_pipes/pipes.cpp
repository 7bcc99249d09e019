// Chapter 4, the run: a pipe per worker, the fork, each side closing the ends it
// must not hold, then the parent's event loop. The worker's side is in
// worker.cpp, the loop in gatherer.cpp (and its clock's checks in watch.cpp),
// the faults a worker can be asked to commit in faults.cpp.
#include "pipes.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <optional>
#include <system_error>
#include <vector>

#include "gatherer.hpp"
#include "ptut/asio.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "worker.hpp"

namespace ch04 {
namespace {

namespace asio = boost::asio;

// Write ends the parent keeps open on purpose (Mistake::keep_write_end), closed
// when the run is over.
struct KeptWriteEnds {
  std::vector<int> fds;
  KeptWriteEnds() = default;
  KeptWriteEnds(const KeptWriteEnds&) = delete;
  KeptWriteEnds& operator=(const KeptWriteEnds&) = delete;
  ~KeptWriteEnds() {
    for (int fd : fds) close(fd);
  }
};

// A pipe: [0] the read end, [1] the write end. O_CLOEXEC only closes them in a
// program started with exec(); forked workers inherit them all, so each side
// closes what it does not use itself.
void make_pipe(int (&ends)[2], unsigned worker) {
  if (pipe2(ends, O_CLOEXEC) != 0) {
    throw std::system_error(
        errno, std::generic_category(),
        "worker " + std::to_string(worker) + "'s pipe (see ulimit -n)");
  }
}

// [fork_worker]
// Forks worker `worker`, which runs `body`, as Asio asks of a program that forks
// while it has an io_context. The child never runs the loop, so it skips
// fork_child (which would rebuild epoll and Asio's signal pipe in every worker
// for nothing); it must not touch `io` at all. If the fork fails, the pipe goes.
pid_t fork_worker(asio::io_context& io, ptut::ChildProcesses& children, unsigned worker,
                  const int (&ends)[2], const std::function<int()>& body) {
  io.notify_fork(asio::io_context::fork_prepare);
  try {
    const pid_t pid = children.start(worker, body);
    io.notify_fork(asio::io_context::fork_parent);
    return pid;
  } catch (...) {
    io.notify_fork(asio::io_context::fork_parent);
    close(ends[0]);
    close(ends[1]);
    throw;
  }
}
// [fork_worker]

// [variants]
// The variants, chosen once by name: how the parent reads the pipes.
struct Way {
  ptut::Variant variant;  // the name --variant takes, its line in --help
  bool one_pipe_at_a_time;
};
const Way kWays[] = {
    {{"asio", "the parent reads every pipe at once in one Asio event loop"}, false},
    {{"sequential", "the parent reads pipe 1 to its end, then pipe 2, and so on"}, true},
};
// [variants]

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch04_pipes",
      .title = "Chapter 4: pipes",
      .about =
          "Chapter 4: message passing. K forked workers share nothing; each sends framed "
          "records (progress, then its partial sum) through a pipe of its own, and the "
          "parent gathers them (Boost.Asio) and adds the partial sums.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "asio",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

// [run]
PipesFacts run(const Config& config) {
  const ptut::Options& options = config.options;
  // Declared first, destroyed last. The signal_set must come after it: the
  // workers get back the signal dispositions ChildProcesses saw, not Asio's.
  ptut::ChildProcesses children(ptut::SignalDelivery::event_loop);
  asio::io_context io;
  asio::signal_set signals(io, SIGCHLD);
  for (int stop : children.stop_signals()) signals.add(stop);

  const std::vector<ptut::Chunk> chunks = ptut::split_range(options.n, options.workers);
  std::vector<Channel> channels;
  channels.reserve(options.workers);  // the event loop holds references to them
  KeptWriteEnds kept;

  const ptut::Stopwatch stopwatch;
  ptut::trace::Span starting("start workers");
  try {
    for (unsigned w = 0; w < options.workers; ++w) {
      int ends[2];
      make_pipe(ends, w + 1);
      const pid_t pid = fork_worker(io, children, w + 1, ends, [&, w] {
        // The child closes every pipe end it does not use: all read ends, its own
        // included, and any write end the parent kept by mistake.
        for (Channel& earlier : channels) close(earlier.pipe.native_handle());
        for (int fd : kept.fds) close(fd);
        close(ends[0]);
        return worker_main(config, ends[1], w + 1, chunks[w]);
      });
      channels.emplace_back(w + 1, chunks[w],
                            asio::posix::stream_descriptor(io, ends[0]));
      channels.back().pid = pid;
      // The parent only reads. Its copy of the write end must go, or the pipe can
      // never reach end-of-file: a reader sees EOF only when every write end is closed.
      if (config.mistake == Mistake::keep_write_end) {
        kept.fds.push_back(ends[1]);
      } else {
        close(ends[1]);
      }
    }
  } catch (...) {
    // A worker that cannot start (no pipe, no process) ends the run. Stop those
    // started while their pipes are open: `channels` closes the read ends before
    // `children` is destroyed, and a worker writing then reports EPIPE too.
    children.stop_all();
    throw;
  }

  starting.close();

  Gatherer gatherer(config, ptut::find_variant(kWays, options.variant).one_pipe_at_a_time,
                    children, io, signals, channels);
  ptut::trace::Span gathering("gather");
  gatherer.start();
  io.run();
  if (gatherer.failure())
    throw ptut::RunFailed(*gatherer.failure(), gatherer.interrupted());
  gathering.close();

  // Every worker delivered: the parent adds the partial sums.
  PipesFacts result;
  result.seconds = stopwatch.seconds();
  {
    const ptut::trace::Span reducing("reduce");
    for (const Channel& channel : channels) result.sum += *channel.partial;
  }
  // [run]
  for (const Channel& channel : channels) {
    result.pipes.push_back(
        {.worker = channel.worker,
         .pid = channel.pid,
         .records = channel.records,
         .bytes = channel.bytes,
         .note_bytes = channel.note_bytes,
         .longest_wait_ms = static_cast<double>(channel.longest_wait_ns) / 1e6,
         .in_write_ms = static_cast<double>(channel.write_ns) / 1e6,
         .partial = *channel.partial});
  }
  return result;
}

void to_json(nlohmann::json& json, const PipesFacts& facts) {
  nlohmann::json partials = nlohmann::json::array();
  nlohmann::json details = nlohmann::json::array();
  for (const PipeFacts& pipe : facts.pipes) {
    partials.push_back(std::to_string(pipe.partial));
    details.push_back({{"worker", pipe.worker},
                       {"pid", pipe.pid},
                       {"records", pipe.records},
                       {"bytes", pipe.bytes},
                       {"note_bytes", pipe.note_bytes},
                       {"longest_wait_ms", pipe.longest_wait_ms},
                       {"in_write_ms", pipe.in_write_ms}});
  }
  json = {{"partials", partials}, {"pipes", details}};
}

}  // namespace ch04
