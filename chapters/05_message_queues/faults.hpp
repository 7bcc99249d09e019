/// \file
/// \brief What chapter 5's full program adds to a worker to try the parent: a
/// worker that dies holding a task (--fault W:kill or W:exit).
#pragma once

#include <unistd.h>

#include <csignal>

#include "message_queues.hpp"
#include "ptut/fault.hpp"

namespace ch05 {

/// What a worker's fault does once ptut::FaultPlan says it is due (as soon as it
/// holds a task, which nobody will then finish): die by SIGKILL, or exit with
/// status 3.
[[noreturn]] inline void strike(FaultKind kind) {
  if (kind == FaultKind::kill) raise(SIGKILL);
  _exit(3);
}

}  // namespace ch05
