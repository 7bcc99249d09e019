/// \file
/// \brief `--trace FILE`: what every worker did, and when, as a Chrome trace-event
/// JSON file that Perfetto (ui.perfetto.dev) and Chromium's `chrome://tracing` open.
///
/// One track per worker (a forked process, a thread, an MPI rank, a pool thread),
/// spans on it for what matters in the chapter (the work on a chunk, waiting for a
/// lock, a message on its way), and the parent's own track. The format is Google's
/// [Trace Event
/// Format](https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU):
/// we write only what Perfetto reads well, begin/end pairs (`"ph":"B"`/`"E"`) on
/// one thread and metadata (`"M"`) naming the tracks.
///
/// How a trace survives a worker's death. The file is opened once, by the program
/// before it starts any worker, with `O_APPEND`; every process and thread of the
/// run writes each event as one line with one `write()`, which Linux appends
/// whole, never interleaved with another's. Nothing is buffered in memory, so a
/// worker killed by SIGKILL has written everything up to its death. The format's
/// "JSON array" form lets a file end without its closing `]`, so even a file whose
/// program was killed opens in a viewer; a program that ends, though, rewrites it
/// (Session's destructor) as one strict JSON object: it closes the spans a dead
/// worker left open at the moment its parent reaped it, marked with how it ended.
///
/// All timestamps come from `CLOCK_MONOTONIC` (microseconds), one clock for every
/// process on the machine. Off, a traced call site costs one test of a flag
/// (ptut::trace::on) that never changes during a run.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ptut {

class CommandLine;
struct Options;

namespace trace {

/// True while this program writes a trace. Set once, before any worker starts,
/// and read by every traced call site: `if (ptut::trace::on) …`. Atomic because a
/// thread that never ends (chapter 10's stuck task) may still read it while the
/// program finishes the trace; on x86-64 its load is the same plain `mov`.
inline std::atomic<bool> on{false};

/// A number shown with a span: `{"chunk", 3}`.
struct Arg {
  std::string_view key;  ///< the name it is shown under
  std::uint64_t value;   ///< the number
};

/// Starts a span named `name` on the calling thread's track.
void begin(std::string_view name, std::initializer_list<Arg> args = {});
/// Ends the calling thread's innermost open span; `args` are added to it.
void end(std::initializer_list<Arg> args = {});
/// Names the calling process's track ("worker 2", "rank 0"); Perfetto shows it.
void name_process(std::string_view name);
/// Names the calling thread's track within its process ("thread 3").
void name_thread(std::string_view name);
/// The time now on the trace's clock, in microseconds (CLOCK_MONOTONIC).
[[nodiscard]] double now_us();
/// The parent's note that worker process `pid` ended, `how` ("worker 2 (pid 4711)
/// was killed by SIGKILL"), at the time of this call: ChildProcesses calls it as
/// it reaps each worker, so that the trace can close what that worker left open.
void note_process_end(pid_t pid, bool ok, const std::string& how);

/// A span for a scope: begins in its constructor when tracing is on, ends in its
/// destructor (also when an exception leaves the scope), or earlier with close().
class Span {
 public:
  /// A span not yet begun: open() begins it.
  Span() = default;
  /// Begins `name` with `args`, if a trace is being written.
  explicit Span(std::string_view name, std::initializer_list<Arg> args = {}) {
    open(name, args);
  }
  ~Span() { close(); }
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  /// Begins `name` with `args` (ending what this span had open), if a trace is
  /// being written: for a stretch that starts later than its scope.
  void open(std::string_view name, std::initializer_list<Arg> args = {}) {
    close();
    open_ = on;
    if (open_) begin(name, args);
  }
  /// Ends the span before its scope does; then the destructor does nothing.
  void close() {
    if (open_) end();
    open_ = false;
  }

 private:
  bool open_ = false;
};

/// The trace of one run, owned by the program's main(): opens the file named by
/// `--trace` (if any) and finishes it when destroyed. Workers started after it
/// (forked processes, threads) write to it; only the process that made it
/// finishes it.
class Session {
 public:
  /// Starts the trace `options.trace` names, with this process's track named
  /// `cli`'s target; does nothing when the option is empty. A file that cannot be
  /// written ends the program as a usage error (exit 2), naming `--trace`.
  Session(const CommandLine& cli, const Options& options);
  /// Starts a trace into `path`, this process's track named `process_name`.
  /// \throws std::system_error when the file cannot be opened.
  Session(const std::string& path, std::string_view process_name);
  /// finish()es.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Rewrites the file as one JSON object `{"traceEvents": […]}`: every span a
  /// dead worker left open is closed when its parent reaped it, with `"ended"`
  /// saying how it ended, and a `"died"` span marks the moment; timestamps are
  /// shifted to start at the trace's start. Called by the destructor and by
  /// ptut::reraise(); once only, in the process that made the Session.
  void finish();

 private:
  void start(const std::string& path, std::string_view process_name);

  std::string path_;
  pid_t owner_ = 0;
  double origin_us_ = 0;
  bool finished_ = true;
};

/// Makes this process write into the trace `path` that another process started
/// with a Session and that this one did not inherit (an MPI rank that mpirun
/// started beside the one that made it: call it after that one has, a barrier
/// between). The owner finishes the file once every writer is done.
/// \throws std::system_error when the file cannot be opened.
void append_to(const std::string& path);

/// Finishes the trace this process is writing, if any (what ptut::reraise() calls
/// before a program ends by a signal).
void finish_open_session();

}  // namespace trace
}  // namespace ptut
