// Chapter 4's parent side: the records' check, and the event loop that reads
// every pipe, settles each worker's story and ends the run at the first failure.
// Its clock's checks (hung workers, pipes that never end) are in watch.cpp.
#include "gatherer.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "faults.hpp"
#include "ptut/report.hpp"
#include "ptut/trace.hpp"
#include "worker.hpp"

namespace ch04 {

namespace asio = boost::asio;

namespace {

const char* type_name(std::uint16_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::step:
      return "step";
    case RecordType::progress:
      return "progress";
    case RecordType::note:
      return "note";
    case RecordType::result:
      return "result";
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> check_header(const RecordHeader& header, unsigned worker,
                                        std::uint32_t sequence) {
  if (header.magic != kMagic) {
    unsigned char bytes[sizeof header.magic];
    // as they came through the pipe, in order
    std::memcpy(bytes, &header.magic, sizeof bytes);
    char text[96];
    std::snprintf(
        text, sizeof text,
        "it does not start with the mark PTC4 (got the bytes %02x %02x %02x %02x)",
        bytes[0], bytes[1], bytes[2], bytes[3]);
    return std::string(text);
  }
  if (header.worker != worker)
    return "it is signed by worker " + std::to_string(header.worker);
  if (header.sequence != sequence) {
    return "it is record number " + std::to_string(header.sequence) + " where " +
           std::to_string(sequence) + " was due";
  }
  const char* type = type_name(header.type);
  if (type == nullptr) return "its type " + std::to_string(header.type) + " is unknown";
  std::size_t expected = 0;
  switch (static_cast<RecordType>(header.type)) {
    case RecordType::step:
      expected = sizeof(StepPayload);
      break;
    case RecordType::progress:
      expected = sizeof(ProgressPayload);
      break;
    case RecordType::result:
      expected = sizeof(ResultPayload);
      break;
    case RecordType::note:
      if (header.length <= kMaxPayload) return std::nullopt;
      return "a note of " + std::to_string(header.length) + " bytes is longer than the " +
             std::to_string(kMaxPayload) + " allowed";
  }
  if (header.length != expected) {
    return std::string("a ") + type + " record of " + std::to_string(header.length) +
           " bytes (expected " + std::to_string(expected) + ")";
  }
  return std::nullopt;
}

Gatherer::Gatherer(const Config& config, bool one_pipe_at_a_time,
                   ptut::ChildProcesses& children, asio::io_context& io,
                   asio::signal_set& signals, std::vector<Channel>& channels)
    : config_(config),
      one_pipe_at_a_time_(one_pipe_at_a_time),
      children_(children),
      io_(io),
      signals_(signals),
      tick_(io),
      stop_verdict_(io),
      channels_(channels),
      progress_(config.options.n) {}

void Gatherer::start() {
  wait_for_signal();
  tick();
  if (one_pipe_at_a_time_) {
    read_header(channels_.front());  // on_eof starts the next pipe when this one ends
  } else {
    for (Channel& channel : channels_) read_header(channel);  // all at once
  }
}

// [reading]
// Records: a header of fixed size, then the payload it announces. async_read
// completes only when the buffer is full, however the bytes trickle in.
void Gatherer::read_header(Channel& channel) {
  if (!channel.turn_started) channel.last_heard = clock_.seconds();
  channel.turn_started = true;
  asio::async_read(channel.pipe, asio::buffer(&channel.header, sizeof channel.header),
                   [this, &channel](boost::system::error_code error, std::size_t got) {
                     if (error == asio::error::eof)
                       return on_eof(channel, got, "a record header");
                     if (error) return on_read_error(channel, error);
                     channel.last_heard = clock_.seconds();
                     if (auto wrong = check_header(channel.header, channel.worker,
                                                   channel.next_sequence)) {
                       return fail(channel.who() + " sent a malformed record: " + *wrong);
                     }
                     read_payload(channel);
                   });
}

void Gatherer::read_payload(Channel& channel) {
  channel.payload.resize(channel.header.length);
  asio::async_read(channel.pipe, asio::buffer(channel.payload),
                   [this, &channel](boost::system::error_code error, std::size_t got) {
                     if (error == asio::error::eof)
                       return on_eof(channel, got, "a payload");
                     if (error) return on_read_error(channel, error);
                     on_record(channel);  // which reads the next header
                   });
}
// [reading]

void Gatherer::on_record(Channel& channel) {
  const RecordHeader& header = channel.header;
  const std::uint64_t now = now_ns();
  const std::uint64_t waited_ns = now > header.sent_ns ? now - header.sent_ns : 0;
  // Which worker's record, and how long it waited in the pipe: in the trace, a
  // sequential parent's receives from the later pipes come late and waited long.
  const ptut::trace::Span receiving("receive",
                                    {{"worker", channel.worker},
                                     {type_name(header.type), header.sequence},
                                     {"waited in the pipe (us)", waited_ns / 1000}});
  ++channel.next_sequence;
  ++channel.records;
  channel.bytes += sizeof header + header.length;
  channel.last_heard = clock_.seconds();
  channel.longest_wait_ns = std::max(channel.longest_wait_ns, waited_ns);
  if (channel.partial) return fail(channel.who() + " sent a record after its result");

  switch (static_cast<RecordType>(header.type)) {
    case RecordType::step: {
      StepPayload step{};
      std::memcpy(&step, channel.payload.data(), sizeof step);
      if (config_.show_steps)
        ptut::print_step(channel.who(), step.i, "my partial sum", step.partial);
      break;
    }
    case RecordType::progress: {
      ProgressPayload progress{};
      std::memcpy(&progress, channel.payload.data(), sizeof progress);
      if (progress.done > channel.chunk.size() || progress.done < channel.done) {
        return fail(channel.who() + " sent a malformed record: progress " +
                    std::to_string(progress.done) + " does not fit its chunk of " +
                    std::to_string(channel.chunk.size()));
      }
      channel.done = progress.done;
      break;
    }
    case RecordType::note:
      for (std::size_t k = 0; k < channel.payload.size(); ++k) {
        if (channel.payload[k] != chatter_byte(channel.worker, channel.note_bytes + k)) {
          return fail(channel.who() + " sent a corrupted note: byte " +
                      std::to_string(channel.note_bytes + k) + " is wrong");
        }
      }
      channel.note_bytes += channel.payload.size();
      break;
    case RecordType::result: {
      ResultPayload result{};
      std::memcpy(&result, channel.payload.data(), sizeof result);
      if (result.elements != channel.chunk.size()) {
        return fail(channel.who() + " sent a malformed record: a result for " +
                    std::to_string(result.elements) + " elements where its chunk has " +
                    std::to_string(channel.chunk.size()));
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
void Gatherer::on_eof(Channel& channel, std::size_t got, const char* inside) {
  channel.pipe_ended = true;
  if (got > 0) channel.truncated = "its pipe ended inside " + std::string(inside);
  if (!channel.process_end) channel.first_end_at = clock_.seconds();
  if (one_pipe_at_a_time_) {
    const auto next = static_cast<std::size_t>(&channel - channels_.data()) + 1;
    if (next < channels_.size()) read_header(channels_[next]);
  }
  settle(channel);
}
// [eof]

void Gatherer::on_read_error(Channel& channel, boost::system::error_code error) {
  if (error == asio::error::operation_aborted) return;  // we are stopping
  fail("reading " + channel.who() + "'s pipe: " + error.message());
}

// [signals]
void Gatherer::wait_for_signal() {
  signals_.async_wait([this](boost::system::error_code error, int signal) {
    if (error) return;  // operation_aborted: we are stopping
    if (signal != SIGCHLD) {
      interrupted_ = signal;
      return fail("interrupted by " + ptut::signal_name(signal) +
                  "; stopped every worker");
    }
    // One SIGCHLD may stand for several children: reap all that have ended.
    for (const ptut::ChildEnd& end : children_.reap_ended())
      on_exit(channels_[end.worker - 1], end);
    if (!failure_) wait_for_signal();
  });
}
// [signals]

// [settle]
void Gatherer::on_exit(Channel& channel, const ptut::ChildEnd& end) {
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
  // killed, or a failed exit: nothing it might still have sent would help
  if (!end.ok()) {
    return fail(end.describe() + (channel.partial ? "" : " before sending its result"));
  }
  if (!channel.pipe_ended) channel.first_end_at = clock_.seconds();
  settle(channel);
}

// Both the pipe's end and the process's end are known: did it deliver?
void Gatherer::settle(Channel& channel) {
  if (!channel.pipe_ended || !channel.process_end || failure_) return;
  if (!channel.partial) {
    const std::string why =
        channel.truncated.empty() ? "" : " (" + channel.truncated + ")";
    return fail(channel.process_end->describe() + " without sending its result" + why);
  }
  finish_if_done();
}

void Gatherer::finish_if_done() {
  const bool all_done =
      std::all_of(channels_.begin(), channels_.end(), [](const Channel& channel) {
        return channel.pipe_ended && channel.process_end && channel.partial;
      });
  if (all_done && !failure_) io_.stop();
}
// [settle]

// The first failure ends the run: every worker is killed and reaped at once,
// then the loop stops (pending reads are abandoned with the pipes).
void Gatherer::fail(const std::string& what) {
  if (failure_) return;
  failure_ = what;
  children_.stop_all();
  io_.stop();
}

}  // namespace ch04
