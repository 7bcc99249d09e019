/// \file
/// \brief Reads a trace a chapter program wrote with `--trace FILE` and checks it
/// against the trace-event format, so that a chapter's test can ask what each
/// worker did and when.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <cstdio>

namespace ptut::testing {

/// One span of a track: a begin/end pair, or a complete event.
struct TraceSpan {
  std::string name;     ///< what the worker was doing ("chunk", "wait for lock")
  double begin_ms = 0;  ///< from the start of the run
  double end_ms = 0;    ///< from the start of the run
  /// How the worker ended, where the span was cut short by its death (the "ended"
  /// the program added as it finished the trace); empty otherwise.
  std::string ended;
  nlohmann::json args;  ///< what the program recorded with it, begin's and end's
  /// The CPU time its thread spent in it (from the events' thread clock, "tts"),
  /// in ms: less than ms() by the time the thread waited or had no core.
  double cpu_ms = 0;

  /// How long it lasted, in milliseconds.
  [[nodiscard]] double ms() const { return end_ms - begin_ms; }
};

/// The spans of one thread of one process, in the order they began.
struct TraceTrack {
  int pid = 0;                   ///< the process
  int tid = 0;                   ///< the thread
  std::string process_name;      ///< its process's name ("worker 2")
  std::string thread_name;       ///< its own name ("worker 2", "thread 1")
  std::vector<TraceSpan> spans;  ///< what it did

  /// The spans named `name`.
  [[nodiscard]] std::vector<TraceSpan> named(std::string_view name) const;
  /// The time from its first span's begin to its last span's end, in ms.
  [[nodiscard]] double busy_from_ms() const;
  /// The end of its last span, in ms from the start of the run.
  [[nodiscard]] double last_end_ms() const;
  /// The sum of the durations of the spans named `name`, in ms.
  [[nodiscard]] double total_ms(std::string_view name) const;
  /// The sum of the CPU times of the spans named `name`, in ms.
  [[nodiscard]] double total_cpu_ms(std::string_view name) const;
};

/// A whole trace.
struct Trace {
  std::vector<TraceTrack> tracks;  ///< every track with a name or a span

  /// The track whose thread is named `name`, or nullptr.
  [[nodiscard]] const TraceTrack* track(std::string_view name) const;
};

/// What is wrong with the trace in `path` as a finished trace-event file: not one
/// JSON object with a `traceEvents` array; an event without its required fields
/// (`ph`, `pid`, `tid`, `ts`; a `name` for a begin, a `dur` for a complete event, a
/// name in the `args` of a metadata event); an end without a begin, or a begin
/// never ended, on a track; a track whose timestamps go back; a track without a
/// name. Empty when nothing is.
[[nodiscard]] std::vector<std::string> trace_problems(const std::string& path);

/// The trace in `path`, with its spans paired up; call trace_problems() first.
[[nodiscard]] Trace read_trace(const std::string& path);

/// A trace file of the running test's own (its name, this process's PID and a
/// count, so that one test may have several), removed when it goes out of scope.
struct TraceFile {
  /// where the program is told to write it
  std::string path = ::testing::TempDir() + "ptut_trace_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                     "_" + std::to_string(::getpid()) + "_" + std::to_string(++made) +
                     ".json";
  TraceFile() = default;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;
  ~TraceFile() { std::remove(path.c_str()); }

 private:
  static inline int made = 0;
};

/// Expects that no two spans named `name`, on any tracks, overlap in time: what a
/// lock's holds must show.
void expect_never_two_at_once(const Trace& trace, const char* name);

/// Expects the track `track` in `trace` to show a worker that died while in a span
/// named `span`: that span cut short with `how` ("killed by SIGKILL") in its
/// "ended", and one "died" mark.
void expect_died_in(const Trace& trace, std::string_view track, std::string_view span,
                    std::string_view how);

}  // namespace ptut::testing
