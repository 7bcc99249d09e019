// Chapter 4's parent, on its clock: every 50 ms, progress on a terminal and the
// checks that no descriptor announces (a hung worker, a pipe that never ends).
#include <sys/ioctl.h>

#include <algorithm>
#include <chrono>

#include "gatherer.hpp"

namespace ch04 {

namespace {

// Bytes written into the pipe and not read yet: a worker whose pipe holds some
// is not silent, however long ago the parent last read from it.
int unread_bytes(Channel& channel) {
  int unread = 0;
  return ioctl(channel.pipe.native_handle(), FIONREAD, &unread) == 0 ? unread : 0;
}

}  // namespace

// [tick]
// Every 50 ms: progress on a terminal, and the checks that need a clock.
void Gatherer::tick() {
  tick_.expires_after(std::chrono::milliseconds(50));
  tick_.async_wait([this](boost::system::error_code error) {
    if (error || failure_) return;
    // A clock that leaves out any time the parent was stopped (Ctrl-Z, SIGSTOP,
    // a debugger): nobody's silence during that time counts against them.
    const double now = clock_.seconds();
    // in case a SIGCHLD went astray
    for (const ptut::ChildEnd& end : children_.reap_ended()) {
      on_exit(channels_[end.worker - 1], end);
      if (failure_) return;
    }
    std::uint64_t done = 0;
    for (Channel& channel : channels_) {
      done += channel.done;
      // it spoke; we have not listened yet
      if (unread_bytes(channel) > 0) channel.last_heard = now;
      const double quiet = now - channel.last_heard;
      const double waiting = now - std::max(channel.first_end_at, channel.last_heard);
      if (channel.turn_started && !channel.pipe_ended && !channel.process_end &&
          quiet > config_.hang_timeout) {
        return fail(channel.who() + " sent nothing for " + ptut::format_seconds(quiet) +
                    " and was stopped as hung");
      }
      if (channel.turn_started && !channel.pipe_ended && channel.process_end &&
          waiting > kGrace) {
        return fail(channel.who() + " exited " + ptut::format_seconds(waiting) +
                    " ago, but its pipe has not reached end-of-file: another process "
                    "still holds its "
                    "write end (every process must close the pipe ends it does not use)");
      }
      if (channel.pipe_ended && !channel.process_end && waiting > kGrace) {
        return fail(channel.who() + " closed its pipe but is still running " +
                    ptut::format_seconds(waiting) + " later");
      }
    }
    progress_.update(done);
    tick();
  });
}
// [tick]

}  // namespace ch04
