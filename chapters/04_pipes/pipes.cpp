// Chapter 4, top to bottom: the record format, the worker that writes records
// into its pipe, and the parent: one Asio event loop that reads every pipe,
// catches SIGCHLD and the stop signals, and keeps a clock for hung workers.
#include "pipes.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/asio.hpp"
#include "ptut/machine.hpp"
#include "ptut/progress.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

namespace ch04 {
namespace {

namespace asio = boost::asio;
using ptut::Chunk;
using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: one clock for every process

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

const char* type_name(std::uint16_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::step: return "step";
    case RecordType::progress: return "progress";
    case RecordType::note: return "note";
    case RecordType::result: return "result";
  }
  return nullptr;
}

// The text a worker sends with --chatter: byte k of worker w's notes. The parent
// checks every byte, so a record stitched together wrongly from partial reads
// cannot go unnoticed.
char chatter_byte(unsigned worker, std::uint64_t k) { return static_cast<char>('a' + (k + worker) % 26); }

}  // namespace

std::optional<std::string> check_header(const RecordHeader& header, unsigned worker, std::uint32_t sequence) {
  if (header.magic != kMagic) {
    char text[96];
    std::snprintf(text, sizeof text, "it does not start with the mark PTC4 (got the bytes 0x%08x)", header.magic);
    return std::string(text);
  }
  if (header.worker != worker) return "it is signed by worker " + std::to_string(header.worker);
  if (header.sequence != sequence) {
    return "it is record number " + std::to_string(header.sequence) + " where " + std::to_string(sequence) +
           " was due";
  }
  const char* type = type_name(header.type);
  if (type == nullptr) return "its type " + std::to_string(header.type) + " is unknown";
  std::size_t expected = 0;
  switch (static_cast<RecordType>(header.type)) {
    case RecordType::step: expected = sizeof(StepPayload); break;
    case RecordType::progress: expected = sizeof(ProgressPayload); break;
    case RecordType::result: expected = sizeof(ResultPayload); break;
    case RecordType::note:
      if (header.length <= kMaxPayload) return std::nullopt;
      return "a note of " + std::to_string(header.length) + " bytes is longer than the " +
             std::to_string(kMaxPayload) + " allowed";
  }
  if (header.length != expected) {
    return std::string("a ") + type + " record of " + std::to_string(header.length) + " bytes (expected " +
           std::to_string(expected) + ")";
  }
  return std::nullopt;
}

// [write_all]
int write_all(int fd, const void* data, std::size_t size, std::uint64_t* write_ns) {
  const char* next = static_cast<const char*>(data);
  while (size > 0) {
    const std::uint64_t before = write_ns ? now_ns() : 0;
    const ssize_t written = write(fd, next, size);  // may take fewer bytes than asked
    if (write_ns) *write_ns += now_ns() - before;
    if (written < 0) {
      if (errno == EINTR) continue;  // a signal arrived before anything was written
      return errno;                  // EPIPE: the reader is gone (SIGPIPE is ignored)
    }
    next += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}
// [write_all]

namespace {

// ---------------------------------------------------------------------------
// The worker: runs in the child and writes records into its pipe.

// [sender]
class Sender {
 public:
  Sender(int fd, unsigned worker) : fd_(fd), worker_(worker) {}

  // Header and payload go out in one write(): a record of at most PIPE_BUF
  // (4096) bytes then enters the pipe whole. Only this worker writes to this
  // pipe, so a longer note written in pieces cannot interleave with anything.
  void send(RecordType type, const void* payload, std::uint32_t length) {
    const RecordHeader header{kMagic, static_cast<std::uint16_t>(type), static_cast<std::uint16_t>(worker_),
                              sequence_++, length, now_ns()};
    buffer_.resize(sizeof header + length);
    std::memcpy(buffer_.data(), &header, sizeof header);
    if (length > 0) std::memcpy(buffer_.data() + sizeof header, payload, length);
    write_raw(buffer_.data(), buffer_.size());
  }

  void write_raw(const void* data, std::size_t size) {
    if (const int error = write_all(fd_, data, size, &write_ns_)) {
      throw std::system_error(error, std::generic_category(), "writing to the parent's pipe");
    }
  }

  [[nodiscard]] std::uint64_t write_ns() const { return write_ns_; }

 private:
  int fd_;
  unsigned worker_;
  std::uint32_t sequence_ = 0;
  std::uint64_t write_ns_ = 0;
  std::vector<char> buffer_;
};
// [sender]

void send_chatter(Sender& sender, unsigned worker, std::uint64_t bytes) {
  std::vector<char> note;
  for (std::uint64_t sent = 0; sent < bytes;) {
    const auto length = static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes - sent, kMaxPayload));
    note.resize(length);
    for (std::uint32_t k = 0; k < length; ++k) note[k] = chatter_byte(worker, sent + k);
    sender.send(RecordType::note, note.data(), length);
    sent += length;
  }
}

void fail_as_told(FaultKind kind, Sender& sender) {
  switch (kind) {
    case FaultKind::kill:
      raise(SIGKILL);
      break;
    case FaultKind::early:
      _exit(0);  // a clean exit, and no result
    case FaultKind::garbage:
      sender.write_raw("this is not a record!!!\n", sizeof(RecordHeader));  // then carry on
      return;
    case FaultKind::hang:
      for (;;) pause();  // until the parent kills us
    case FaultKind::none:
      return;
  }
}

// Elements between two looks at the clock: well under a millisecond of work.
std::uint64_t slice_size(unsigned work) { return std::max<std::uint64_t>(1, (std::uint64_t{1} << 16) / (work + 1)); }

// [worker]
int worker_main(const Config& config, int fd, unsigned worker, Chunk chunk) {
  Sender sender(fd, worker);
  const bool faulty = config.fault.worker == worker;
  bool faulted = false;
  // A fault strikes early (after about 100,000 elements, or halfway through a
  // smaller chunk), while the other workers are still busy.
  const std::uint64_t fault_at = chunk.first + std::min<std::uint64_t>(chunk.size() / 2, 100'000);
  const bool steps = config.show_steps;
  const std::uint64_t slice = steps ? 1 : slice_size(config.options.work);
  const auto step_pause = std::chrono::milliseconds(config.slow_worker == worker ? 20 : 2);
  auto next_progress = Clock::now();

  ptut::pin_to_core(worker);
  std::uint64_t partial = 0;
  for (std::uint64_t first = chunk.first; first < chunk.last; first += slice) {
    if (faulty && !faulted && first >= fault_at) {
      faulted = true;
      fail_as_told(config.fault.kind, sender);
    }
    const Chunk part{first, std::min(chunk.last, first + slice)};
    partial += ptut::sum_range(part, config.options.work);
    if (steps) {
      const StepPayload step{first, partial};
      sender.send(RecordType::step, &step, sizeof step);
      std::this_thread::sleep_for(step_pause);
    } else if (Clock::now() >= next_progress) {
      const ProgressPayload progress{part.last - chunk.first};
      sender.send(RecordType::progress, &progress, sizeof progress);
      next_progress = Clock::now() + std::chrono::milliseconds(10);
    }
  }
  if (faulty && !faulted) fail_as_told(config.fault.kind, sender);  // an empty chunk still fails
  send_chatter(sender, worker, config.chatter_bytes);
  const ResultPayload result{partial, chunk.size(), sender.write_ns()};
  sender.send(RecordType::result, &result, sizeof result);
  return 0;  // _exit closes the write end: the parent's read then sees end-of-file
}
// [worker]

// ---------------------------------------------------------------------------
// The parent: one pipe per worker, all read in one event loop.

// What the parent knows about one worker.
struct Channel {
  Channel(unsigned worker_number, Chunk work, asio::posix::stream_descriptor read_end)
      : worker(worker_number), chunk(work), pipe(std::move(read_end)) {}

  unsigned worker;
  Chunk chunk;
  asio::posix::stream_descriptor pipe;
  pid_t pid = 0;
  RecordHeader header{};
  std::vector<char> payload;
  std::uint32_t next_sequence = 0;

  bool turn_started = false;            // the parent has started reading this pipe
  bool pipe_ended = false;              // end-of-file: every write end closed, all read
  std::string truncated;                // the pipe ended inside a record: what was missing
  std::optional<ptut::ChildEnd> process_end;  // how the worker process ended, once reaped
  std::optional<std::uint64_t> partial;  // its result record's sum, once received
  double last_heard = 0;                // parent's clock: the last bytes read, or its turn's start
  double first_end_at = 0;              // parent's clock: end-of-file or exit, whichever came first

  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint64_t note_bytes = 0;
  std::uint64_t done = 0;
  std::uint64_t write_ns = 0;
  std::uint64_t longest_wait_ns = 0;

  std::string who() const { return "worker " + std::to_string(worker) + " (pid " + std::to_string(pid) + ")"; }
};

// [gatherer]
class Gatherer {
 public:
  // How long a pipe may stay open after its worker exited, or a worker live on
  // after closing its pipe, once everything in the pipe has been read. Either
  // takes microseconds when all is well.
  static constexpr double kGrace = 1.0;

  Gatherer(const Config& config, ptut::ChildProcesses& children, asio::io_context& io,
           asio::signal_set& signals, std::vector<Channel>& channels)
      : config_(config), children_(children), io_(io), signals_(signals), tick_(io), stop_verdict_(io),
        channels_(channels), progress_(config.options.n) {}

  void start() {
    wait_for_signal();
    tick();
    if (config_.options.variant == "sequential") {
      read_header(channels_.front());  // on_eof starts the next pipe when this one ends
    } else {
      for (Channel& channel : channels_) read_header(channel);  // all at once
    }
  }

  [[nodiscard]] const std::optional<std::string>& failure() const { return failure_; }
  [[nodiscard]] int interrupted() const { return interrupted_; }

 private:
  // Records: a header of fixed size, then the payload it announces. async_read
  // completes only when the buffer is full, however the bytes trickle in.
  void read_header(Channel& channel) {
    if (!channel.turn_started) channel.last_heard = clock_.seconds();
    channel.turn_started = true;
    asio::async_read(channel.pipe, asio::buffer(&channel.header, sizeof channel.header),
                     [this, &channel](boost::system::error_code error, std::size_t got) {
                       if (error == asio::error::eof) return on_eof(channel, got, "a record header");
                       if (error) return on_read_error(channel, error);
                       channel.last_heard = clock_.seconds();
                       if (auto wrong = check_header(channel.header, channel.worker, channel.next_sequence)) {
                         return fail(channel.who() + " sent a malformed record: " + *wrong);
                       }
                       read_payload(channel);
                     });
  }

  void read_payload(Channel& channel) {
    channel.payload.resize(channel.header.length);
    asio::async_read(channel.pipe, asio::buffer(channel.payload),
                     [this, &channel](boost::system::error_code error, std::size_t got) {
                       if (error == asio::error::eof) return on_eof(channel, got, "a payload");
                       if (error) return on_read_error(channel, error);
                       on_record(channel);  // which reads the next header
                     });
  }
  // [gatherer]

  void on_record(Channel& channel) {
    const RecordHeader& header = channel.header;
    ++channel.next_sequence;
    ++channel.records;
    channel.bytes += sizeof header + header.length;
    channel.last_heard = clock_.seconds();
    const std::uint64_t now = now_ns();
    channel.longest_wait_ns = std::max(channel.longest_wait_ns, now > header.sent_ns ? now - header.sent_ns : 0);
    if (channel.partial) return fail(channel.who() + " sent a record after its result");

    switch (static_cast<RecordType>(header.type)) {
      case RecordType::step: {
        StepPayload step{};
        std::memcpy(&step, channel.payload.data(), sizeof step);
        if (config_.show_steps) ptut::print_step(channel.who(), step.i, "my partial sum", step.partial);
        break;
      }
      case RecordType::progress: {
        ProgressPayload progress{};
        std::memcpy(&progress, channel.payload.data(), sizeof progress);
        if (progress.done > channel.chunk.size() || progress.done < channel.done) {
          return fail(channel.who() + " sent a malformed record: progress " + std::to_string(progress.done) +
                      " does not fit its chunk of " + std::to_string(channel.chunk.size()));
        }
        channel.done = progress.done;
        break;
      }
      case RecordType::note:
        for (std::size_t k = 0; k < channel.payload.size(); ++k) {
          if (channel.payload[k] != chatter_byte(channel.worker, channel.note_bytes + k)) {
            return fail(channel.who() + " sent a corrupted note: byte " + std::to_string(channel.note_bytes + k) +
                        " is wrong");
          }
        }
        channel.note_bytes += channel.payload.size();
        break;
      case RecordType::result: {
        ResultPayload result{};
        std::memcpy(&result, channel.payload.data(), sizeof result);
        if (result.elements != channel.chunk.size()) {
          return fail(channel.who() + " sent a malformed record: a result for " + std::to_string(result.elements) +
                      " elements where its chunk has " + std::to_string(channel.chunk.size()));
        }
        channel.partial = result.partial;
        channel.write_ns = result.write_ns;
        channel.done = result.elements;
        break;
      }
    }
    read_header(channel);
  }

  // [eof]
  // End-of-file: every write end of this pipe is closed and it is empty. Only
  // then is the worker's story complete; how its process ended comes separately,
  // by SIGCHLD, in either order.
  void on_eof(Channel& channel, std::size_t got, const char* inside) {
    channel.pipe_ended = true;
    if (got > 0) channel.truncated = "its pipe ended inside " + std::string(inside);
    if (!channel.process_end) channel.first_end_at = clock_.seconds();
    if (config_.options.variant == "sequential") {
      const auto next = static_cast<std::size_t>(&channel - channels_.data()) + 1;
      if (next < channels_.size()) read_header(channels_[next]);
    }
    settle(channel);
  }
  // [eof]

  void on_read_error(Channel& channel, boost::system::error_code error) {
    if (error == asio::error::operation_aborted) return;  // we are stopping
    fail("reading " + channel.who() + "'s pipe: " + error.message());
  }

  // [signals]
  void wait_for_signal() {
    signals_.async_wait([this](boost::system::error_code error, int signal) {
      if (error) return;  // operation_aborted: we are stopping
      if (signal != SIGCHLD) {
        interrupted_ = signal;
        return fail("interrupted by " + ptut::signal_name(signal) + "; stopped every worker");
      }
      // One SIGCHLD may stand for several children: reap all that have ended.
      for (const ptut::ChildEnd& end : children_.reap_ended()) on_exit(channels_[end.worker - 1], end);
      if (!failure_) wait_for_signal();
    });
  }
  // [signals]

  // [settle]
  void on_exit(Channel& channel, const ptut::ChildEnd& end) {
    const auto& stops = children_.stop_signals();
    if (std::find(stops.begin(), stops.end(), end.signal) != stops.end()) {
      // Ctrl-C reaches the whole process group: the workers die of it too, and
      // their SIGCHLD may come before the parent's own SIGINT (the kernel runs
      // both handlers at once, the later-numbered SIGCHLD's first). If the parent
      // got the signal, it is the next one the loop hands over; if it does not
      // come, the signal was sent to this worker alone: the worker's failure.
      if (!stop_verdict_pending_) {
        stop_verdict_pending_ = true;
        stop_verdict_.expires_after(std::chrono::milliseconds(200));
        stop_verdict_.async_wait([this, &channel, end](boost::system::error_code error) {
          if (error) return;
          channel.process_end = end;
          fail(end.describe() + (channel.partial ? "" : " before sending its result"));
        });
      }
      return;
    }
    channel.process_end = end;
    if (!end.ok()) {  // killed, or a failed exit: nothing it might still have sent would help
      return fail(end.describe() + (channel.partial ? "" : " before sending its result"));
    }
    if (!channel.pipe_ended) channel.first_end_at = clock_.seconds();
    settle(channel);
  }

  // Both the pipe's end and the process's end are known: did it deliver?
  void settle(Channel& channel) {
    if (!channel.pipe_ended || !channel.process_end || failure_) return;
    if (!channel.partial) {
      const std::string why = channel.truncated.empty() ? "" : " (" + channel.truncated + ")";
      return fail(channel.process_end->describe() + " without sending its result" + why);
    }
    finish_if_done();
  }

  void finish_if_done() {
    const bool all_done = std::all_of(channels_.begin(), channels_.end(), [](const Channel& channel) {
      return channel.pipe_ended && channel.process_end && channel.partial;
    });
    if (all_done && !failure_) io_.stop();
  }
  // [settle]

  // Bytes written into the pipe and not read yet: a worker whose pipe holds some
  // is not silent, however long ago the parent last read from it.
  static int unread_bytes(Channel& channel) {
    int unread = 0;
    return ioctl(channel.pipe.native_handle(), FIONREAD, &unread) == 0 ? unread : 0;
  }

  // [tick]
  // Every 50 ms: progress on a terminal, and the checks that need a clock.
  void tick() {
    tick_.expires_after(std::chrono::milliseconds(50));
    tick_.async_wait([this](boost::system::error_code error) {
      if (error || failure_) return;
      // A clock that leaves out any time the parent was stopped (Ctrl-Z, SIGSTOP,
      // a debugger): nobody's silence during that time counts against them.
      const double now = clock_.seconds();
      for (const ptut::ChildEnd& end : children_.reap_ended()) {  // in case a SIGCHLD went astray
        on_exit(channels_[end.worker - 1], end);
        if (failure_) return;
      }
      std::uint64_t done = 0;
      for (Channel& channel : channels_) {
        done += channel.done;
        if (unread_bytes(channel) > 0) channel.last_heard = now;  // it spoke; we have not listened yet
        const double quiet = now - channel.last_heard;
        const double waiting = now - std::max(channel.first_end_at, channel.last_heard);
        if (channel.turn_started && !channel.pipe_ended && !channel.process_end && quiet > config_.hang_timeout) {
          return fail(channel.who() + " sent nothing for " + ptut::format_seconds(quiet) +
                      " and was stopped as hung");
        }
        if (channel.turn_started && !channel.pipe_ended && channel.process_end && waiting > kGrace) {
          return fail(channel.who() + " exited " + ptut::format_seconds(waiting) +
                      " ago, but its pipe has not reached end-of-file: another process still holds its "
                      "write end (every process must close the pipe ends it does not use)");
        }
        if (channel.pipe_ended && !channel.process_end && waiting > kGrace) {
          return fail(channel.who() + " closed its pipe but is still running " + ptut::format_seconds(waiting) +
                      " later");
        }
      }
      progress_.update(done);
      tick();
    });
  }
  // [tick]

  // The first failure ends the run: every worker is killed and reaped at once,
  // then the loop stops (pending reads are abandoned with the pipes).
  void fail(const std::string& what) {
    if (failure_) return;
    failure_ = what;
    children_.stop_all();
    io_.stop();
  }

  const Config& config_;
  ptut::ChildProcesses& children_;
  asio::io_context& io_;
  asio::signal_set& signals_;
  asio::steady_timer tick_;
  asio::steady_timer stop_verdict_;  // a worker died of a stop signal: did the parent get it too?
  bool stop_verdict_pending_ = false;
  std::vector<Channel>& channels_;
  ptut::WatchdogClock clock_;
  ptut::Progress progress_;
  std::optional<std::string> failure_;
  int interrupted_ = 0;
};

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

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch04_pipes",
      .title = "Chapter 4: pipes",
      .about = "Chapter 4: message passing. K forked workers share nothing; each sends framed "
               "records (progress, then its partial sum) through a pipe of its own, and the "
               "parent gathers them (Boost.Asio) and adds the partial sums.",
      .variants = {{"asio", "the parent reads every pipe at once in one Asio event loop", true},
                   {"sequential", "the parent reads pipe 1 to its end, then pipe 2, and so on", true}},
      .default_variant = "asio",
      .has_workers = true,
      .no_workers_reason = "",
  };
}

// [run]
ptut::RunResult run(const Config& config) {
  const ptut::Options& options = config.options;
  // Declared first, destroyed last. The signal_set must come after it: the
  // workers get back the signal dispositions ChildProcesses saw, not Asio's.
  ptut::ChildProcesses children(ptut::SignalDelivery::event_loop);
  asio::io_context io;
  asio::signal_set signals(io, SIGCHLD);
  for (int stop : children.stop_signals()) signals.add(stop);

  const std::vector<Chunk> chunks = ptut::split_range(options.n, options.workers);
  std::vector<Channel> channels;
  channels.reserve(options.workers);  // the event loop holds references to them
  KeptWriteEnds kept;

  const ptut::Stopwatch stopwatch;
  for (unsigned w = 0; w < options.workers; ++w) {
    int ends[2];
    // O_CLOEXEC only closes the ends in a program started with exec(); forked
    // workers inherit them all, so they close what they do not use themselves.
    if (pipe2(ends, O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(),
                              "worker " + std::to_string(w + 1) + "'s pipe (see ulimit -n)");
    }
    const int read_end = ends[0];
    const int write_end = ends[1];
    try {
      // What Asio asks of a program that forks. The child never runs the loop,
      // so it skips fork_child (which would rebuild epoll and Asio's signal pipe
      // in every worker for nothing); it must not touch `io` at all.
      io.notify_fork(asio::io_context::fork_prepare);
      const pid_t pid = children.start(w + 1, [&, w] {
        // Close every pipe end this worker does not use: all read ends, its own
        // included, and any write end the parent kept by mistake.
        for (Channel& earlier : channels) close(earlier.pipe.native_handle());
        for (int fd : kept.fds) close(fd);
        close(read_end);
        return worker_main(config, write_end, w + 1, chunks[w]);
      });
      io.notify_fork(asio::io_context::fork_parent);
      channels.emplace_back(w + 1, chunks[w], asio::posix::stream_descriptor(io, read_end));
      channels.back().pid = pid;
    } catch (...) {
      io.notify_fork(asio::io_context::fork_parent);
      close(read_end);
      close(write_end);
      throw;
    }
    // The parent only reads. Its copy of the write end must go, or the pipe can
    // never reach end-of-file: a reader sees EOF only when every write end is closed.
    if (config.mistake == Mistake::keep_write_end) {
      kept.fds.push_back(write_end);
    } else {
      close(write_end);
    }
  }

  Gatherer gatherer(config, children, io, signals, channels);
  gatherer.start();
  io.run();
  if (gatherer.failure()) throw ptut::RunFailed(*gatherer.failure(), gatherer.interrupted());
  // [run]

  ptut::RunResult result;
  result.seconds = stopwatch.seconds();
  nlohmann::json partials = nlohmann::json::array();
  nlohmann::json details = nlohmann::json::array();
  for (const Channel& channel : channels) {
    result.sum += *channel.partial;
    partials.push_back(std::to_string(*channel.partial));
    details.push_back({{"worker", channel.worker},
                       {"pid", channel.pid},
                       {"records", channel.records},
                       {"bytes", channel.bytes},
                       {"note_bytes", channel.note_bytes},
                       {"longest_wait_ms", static_cast<double>(channel.longest_wait_ns) / 1e6},
                       {"in_write_ms", static_cast<double>(channel.write_ns) / 1e6}});
  }
  result.extra["partials"] = partials;
  result.extra["pipes"] = details;
  return result;
}

}  // namespace ch04
