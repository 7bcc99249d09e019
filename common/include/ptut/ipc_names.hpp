/// \file
/// \brief Names for the machine-wide IPC objects chapters create (shared memory,
/// message queues, named mutexes).
///
/// Such names live in `/dev/shm` and outlive a crashed creator. Every name starts
/// with `ptut_`, then the chapter, then the owner's PID: two runs at once (or
/// `ctest -j`) never collide, and a later run can tell whether an object's owner
/// is dead and remove what it left behind.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptut {

/// Every IPC object of this project has a name starting with this.
inline constexpr std::string_view kIpcPrefix = "ptut_";

/// `ptut_<chapter>_<pid>_<what>`, e.g. `ptut_ch02_4711_segment`.
/// `chapter` is letters and digits only (no '_'); `what` is letters, digits and '_'.
/// \throws std::invalid_argument if either breaks that rule.
[[nodiscard]] std::string ipc_name(std::string_view chapter, pid_t owner,
                                   std::string_view what);

/// The owner PID in a name made by ipc_name(), also when the system shows it with
/// a prefix of its own (POSIX semaphores appear as `sem.ptut_…` in /dev/shm).
/// std::nullopt when the name is not one of ours.
[[nodiscard]] std::optional<pid_t> ipc_owner(std::string_view name);

/// The chapter part of a name made by ipc_name(), or empty when it is not one of ours.
[[nodiscard]] std::string ipc_chapter(std::string_view name);

/// Where POSIX shared memory, semaphores and Boost.Interprocess message queues
/// appear on Linux.
inline constexpr std::string_view kShmDirectory = "/dev/shm";

/// True while a process with this PID exists (kill(pid, 0) does not fail with ESRCH).
[[nodiscard]] bool process_alive(pid_t pid) noexcept;

/// Removes the objects of `chapter` in /dev/shm whose owner process is gone: what a
/// run killed with SIGKILL had no chance to remove. Objects carrying this process's
/// own PID count as stale too (a dead run's PID can be reused), so call it before
/// this run creates anything. Returns the names it removed.
std::vector<std::string> remove_stale_ipc_objects(std::string_view chapter);

}  // namespace ptut
