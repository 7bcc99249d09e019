// Chapter 4's worker side: records framed into the worker's pipe, and the
// worker's body. Its faults and notes are in faults.cpp.
#include "worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>
#include <thread>

#include "faults.hpp"
#include "ptut/machine.hpp"
#include "ptut/progress.hpp"
#include "ptut/report.hpp"
#include "ptut/slices.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch04 {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: one clock for every process

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        Clock::now().time_since_epoch())
                                        .count());
}

// [write_all]
int write_all(int fd, const void* data, std::size_t size, std::uint64_t* write_ns) {
  const char* next = static_cast<const char*>(data);
  while (size > 0) {
    const std::uint64_t before = write_ns ? now_ns() : 0;
    const ssize_t written = write(fd, next, size);  // may take fewer bytes than asked
    const int error = errno;                        // before another call can change it
    if (write_ns) *write_ns += now_ns() - before;
    if (written < 0) {
      if (error == EINTR) continue;  // a signal arrived before anything was written
      return error;                  // EPIPE: the reader is gone (SIGPIPE is ignored)
    }
    next += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}
// [write_all]

// [send]
void Sender::send(RecordType type, const void* payload, std::uint32_t length) {
  const RecordHeader header{kMagic,
                            static_cast<std::uint16_t>(type),
                            static_cast<std::uint16_t>(worker_),
                            sequence_++,
                            length,
                            now_ns()};
  buffer_.resize(sizeof header + length);
  std::memcpy(buffer_.data(), &header, sizeof header);
  if (length > 0) std::memcpy(buffer_.data() + sizeof header, payload, length);
  write_raw(buffer_.data(), buffer_.size());
}
// [send]

void Sender::write_raw(const void* data, std::size_t size) {
  const ptut::trace::Span sending("send", {{"bytes", size}});
  if (const int error = write_all(fd_, data, size, &write_ns_)) {
    throw std::system_error(error, std::generic_category(),
                            "writing to the parent's pipe");
  }
}

namespace {

// What a worker tells the parent along the way: a step record per element in a
// small run (with a pause, so that the workers visibly run side by side), else
// how far it has got, about every 10 ms.
class Reporter {
 public:
  Reporter(const Config& config, unsigned worker)
      : steps_(config.show_steps),
        pause_(config.slow_worker == worker ? 10 * ptut::kStepPause : ptut::kStepPause) {}
  void report(Sender& sender, std::uint64_t i, std::uint64_t done,
              std::uint64_t partial) {
    if (steps_) {
      const StepPayload step{i, partial};
      sender.send(RecordType::step, &step, sizeof step);
      std::this_thread::sleep_for(pause_);
    } else if (Clock::now() >= next_progress_) {
      const ProgressPayload progress{done};
      sender.send(RecordType::progress, &progress, sizeof progress);
      next_progress_ = Clock::now() + std::chrono::milliseconds(10);
    }
  }

 private:
  bool steps_;
  std::chrono::milliseconds pause_;
  Clock::time_point next_progress_ = Clock::now();
};

// The worker's chunk in slices, with what the full program does between them and
// out of the worker's loop: a planned fault strikes before the slice that reaches
// it; after each slice the worker tells the parent how far it has got (`partial`:
// its sum so far).
auto watched_slices(const Config& config, Sender& sender, unsigned worker,
                    ptut::Chunk chunk, const std::uint64_t& partial) {
  return ptut::WatchedSlices(
      chunk, config.show_steps ? 1 : ptut::progress_slice(config.options.work),
      ptut::FaultPlan(config.fault.worker, worker, chunk, kFaultAtMost),
      [&config, &sender](std::uint64_t) { strike(config.fault.kind, sender); },
      [&sender, &partial, chunk,
       reporter = Reporter(config, worker)](const ptut::Slice& slice) mutable {
        reporter.report(sender, slice.part.first, slice.part.last - chunk.first, partial);
      });
}

}  // namespace

// [worker]
int worker_main(const Config& config, int fd, unsigned worker, ptut::Chunk chunk) {
  Sender sender(fd, worker);
  std::uint64_t partial = 0;
  auto slices = watched_slices(config, sender, worker, chunk, partial);
  ptut::pin_to_core(worker);
  {
    const ptut::trace::Span working(
        "chunk", {{"chunk", worker}, {"first", chunk.first}, {"last", chunk.last}});
    for (const ptut::Slice& slice : slices) {
      partial += ptut::sum_range(slice.part, config.options.work);
    }
  }
  send_chatter(sender, worker, config.chatter_bytes);
  const ResultPayload result{partial, chunk.size(), sender.write_ns()};
  sender.send(RecordType::result, &result, sizeof result);
  return 0;  // _exit closes the write end: the parent's read then sees end-of-file
}
// [worker]

}  // namespace ch04
