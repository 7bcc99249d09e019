/// \file
/// \brief What chapter 5's full program adds to a worker to try the parent: a
/// worker that dies holding a task (--fault W:kill or W:exit).
#pragma once

#include <unistd.h>

#include <csignal>

#include "message_queues.hpp"

namespace ch05 {

/// Kills or ends worker `worker` if `config` asks it to fail: called once it
/// holds a task, which nobody will then finish.
inline void strike_if_asked(const Config& config, unsigned worker) {
  if (config.fault.worker != worker) return;
  if (config.fault.kind == FaultKind::kill) raise(SIGKILL);
  if (config.fault.kind == FaultKind::exit) _exit(3);
}

}  // namespace ch05
