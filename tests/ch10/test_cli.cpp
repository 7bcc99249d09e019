// Chapter 10's programs, started as a reader starts them: every variant exact over
// the N × K grid, faults reported with the task and its message, a stuck task
// reported after --hang-timeout, bad input refused with one line.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "bad_input.hpp"
#include "core_output.hpp"
#include "grid.hpp"
#include "leak_check.hpp"
#include "oracle.hpp"
#include "output.hpp"
#include "runner.hpp"
#include "sanitizers.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using ptut::testing::SumCase;
using ptut::testing::VariantCase;

#if defined(PTUT_TSAN)
constexpr bool kThreadSanitizer = true;  // oneTBB is not instrumented: see test_tasks.cpp
#else
constexpr bool kThreadSanitizer = false;
#endif

constexpr const char* kProgram = "ch10_tasks";
const std::vector<std::string> kVariants = {"pool", "async", "packaged", "stealing",
                                            "static"};

class Ch10 : public ptut::testing::NoLeaks {
 protected:
  static nlohmann::json run_json(const std::vector<std::string>& args) {
    return ptut::testing::run_chapter_json(kProgram, args);
  }
};

class Ch10Grid : public Ch10, public ::testing::WithParamInterface<VariantCase> {};

TEST_P(Ch10Grid, IsExact) {
  const VariantCase& c = GetParam();
  if (kThreadSanitizer && c.variant == "stealing") GTEST_SKIP() << "oneTBB under TSan";
  const auto json =
      run_json({"--variant", c.variant, "--n", std::to_string(c.sum.n), "--workers",
                std::to_string(c.sum.workers), "--work", std::to_string(c.sum.work)});
  ASSERT_FALSE(json.is_null());
  EXPECT_EQ(json["correct"], true) << json.dump();
  EXPECT_EQ(json["sum"], std::to_string(ptut::testing::expected_sum(c.sum.n)));
  // Static: one task per worker; the others: about 8 per worker, fewer when N is.
  const std::uint64_t tasks = json["tasks"];
  if (c.variant == "static") {
    EXPECT_EQ(tasks, c.sum.workers);
  } else {
    EXPECT_LE(tasks, 8u * c.sum.workers);
    EXPECT_GE(tasks, 1u);
  }
  // A pool runs its tasks on at most K threads; async on a thread per task.
  if (c.variant == "async") {
    EXPECT_EQ(json["threads_used"], tasks);
  } else {
    EXPECT_LE(json["threads_used"].get<unsigned>(), c.sum.workers);
  }
}

INSTANTIATE_TEST_SUITE_P(Grid, Ch10Grid,
                         ::testing::ValuesIn(ptut::testing::variant_grid(kVariants)),
                         ptut::testing::variant_case_name);

// Chunks of one element, seven, all of N in one task, and more than N.
TEST_F(Ch10, EveryChunkSizeIsExact) {
  for (const std::string& variant : kVariants) {
    if (variant == "static" || (kThreadSanitizer && variant == "stealing")) continue;
    // A thread per task for async: fewer under TSan, where a thread costs far more.
    const int n = kThreadSanitizer ? 200 : 1000;
    for (const int chunk : {1, 7, n, n + 1}) {
      SCOPED_TRACE(variant + " --chunk " + std::to_string(chunk));
      const auto json = run_json({"--variant", variant, "--n", std::to_string(n),
                                  "--workers", "3", "--chunk", std::to_string(chunk)});
      EXPECT_EQ(json["correct"], true);
      EXPECT_EQ(json["chunk"], std::min(n, chunk));
    }
  }
}

TEST_F(Ch10, DefaultsAreTheArticles210InTenTasksOnTwoThreads) {
  const auto r = run_chapter(kProgram, {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 13u) << r.out;
  EXPECT_EQ(lines[0], "Chapter 10: tasks: pool, 2 threads, 10 tasks of up to 2 elements");
  // A line per task as it finishes, in whatever order the threads took them: each
  // task once, its partial sum right.
  const std::regex task_line(
      R"(  thread [12], task +(\d+): (\d+)\.\.(\d+), partial sum (\d+))");
  std::vector<bool> seen(10, false);
  for (std::size_t i = 1; i <= 10; ++i) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(lines[i], match, task_line)) << lines[i];
    const unsigned task = std::stoul(match[1]);
    ASSERT_TRUE(task >= 1 && task <= 10 && !seen[task - 1]) << lines[i];
    seen[task - 1] = true;
    const ptut::Chunk chunk{std::stoull(match[2]), std::stoull(match[3]) + 1};
    EXPECT_EQ(chunk, (ptut::Chunk{2 * task - 1, 2 * task + 1})) << lines[i];
    EXPECT_EQ(std::stoull(match[4]), ptut::testing::expected_sum(chunk)) << lines[i];
  }
  EXPECT_EQ(lines[11].rfind("  10 tasks ran on ", 0), 0u) << lines[11];
  EXPECT_EQ(lines[12].rfind("pool, 2 workers: 1 + 2 + … + 20 = 210 (expected 210: "
                            "correct) in ",
                            0),
            0u)
      << lines[12];
}

TEST_F(Ch10, TheCoreIsExactAndShowsEveryTask) {
  for (const std::uint64_t n : {0ULL, 1ULL, 20ULL, 2'000'000ULL}) {
    for (const unsigned k : {1U, 2U, 3U}) {
      SCOPED_TRACE("n=" + std::to_string(n) + " k=" + std::to_string(k));
      const auto r = run_chapter("ch10_core", {std::to_string(n), std::to_string(k)});
      ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
      EXPECT_EQ(r.err, "");
      ptut::testing::expect_core_output(r.out, n, 8 * k);
    }
  }
}

// A task that throws: exit 1 within 2 s, one line naming task 3 and its message.
class Ch10Fault : public Ch10, public ::testing::WithParamInterface<std::string> {};

TEST_P(Ch10Fault, AThrowingTaskIsNamedWithItsMessage) {
  if (kThreadSanitizer && GetParam() == "stealing") GTEST_SKIP() << "oneTBB under TSan";
  // static has one task per worker: three workers for a task 3.
  for (const char* n : {"20", "200000000"}) {
    SCOPED_TRACE(std::string("n=") + n);
    const auto r = run_chapter(
        kProgram,
        {"--variant", GetParam(), "--workers", "3", "--fault", "3:throw", "--n", n},
        std::chrono::seconds(10));
    EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
    EXPECT_LT(r.seconds, 2.0);
    ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_EQ(
        r.err.rfind("ch10_tasks: task 3 failed: injected fault: gave up at element ", 0),
        0u)
        << r.err;
    EXPECT_NE(r.err.find("nothing is left running"), std::string::npos) << r.err;
  }
}

TEST_P(Ch10Fault, AStuckTaskIsReportedAfterTheHangTimeout) {
  if (kThreadSanitizer && GetParam() == "stealing") GTEST_SKIP() << "oneTBB under TSan";
  const auto r = run_chapter(kProgram,
                             {"--variant", GetParam(), "--workers", "3", "--fault",
                              "3:hang", "--n", "2000000", "--hang-timeout", "0.5"},
                             std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  EXPECT_GE(r.seconds, 0.5);
  EXPECT_LT(r.seconds, 3.0);
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("ch10_tasks: task 3 made no progress for ", 0), 0u) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Variants, Ch10Fault, ::testing::ValuesIn(kVariants));

// Destroying a pool with work queued: joined first, every task ran; not joined,
// the tasks still queued were dropped, and their futures said so.
TEST_F(Ch10, APoolDestroyedUnjoinedDropsItsQueue) {
  const auto r = run_chapter("ch10_pool_destroyed", {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const auto lines = r.out_lines();
  ASSERT_EQ(lines.size(), 13u) << r.out;
  EXPECT_EQ(lines[0], "join(), then destroyed:");
  for (int task = 1; task <= 4; ++task) {
    EXPECT_EQ(lines[task], "  task " + std::to_string(task) + ": ran, returned " +
                               std::to_string(task));
  }
  EXPECT_EQ(lines[5], "destroyed at once:");
  // The one thread may have started task 1 before the pool stopped; task 4, queued
  // behind three tasks of 100 ms, had not.
  EXPECT_EQ(lines[9], "  task 4: dropped (Broken promise)");
  // stop() alone tells a queued task's future nothing; the pool's end does.
  EXPECT_EQ(lines[10], "stop(), the pool still there:");
  EXPECT_EQ(lines[11], "  task 4, 200 ms later: not ready (queued, never to run)");
  EXPECT_EQ(lines[12], "  task 4, the pool destroyed: dropped (Broken promise)");
}

// A thread per task, refused: with the address space limited, async cannot start
// every thread; it names the task that got none, stops the others, exits 1.
TEST_F(Ch10, AsyncRefusedAThreadNamesTheTaskAndStopsTheRest) {
#if defined(PTUT_ASAN) || defined(PTUT_TSAN)
  GTEST_SKIP() << "a sanitizer reserves terabytes of address space: no limit fits it";
#endif
  const auto r = ptut::testing::run_program(
      "/usr/bin/prlimit", {"--as=1073741824", ptut::testing::chapter_path(kProgram),
                           "--variant", "async", "--n", "10000", "--chunk", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find(" could not start its thread ("), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("those were stopped and joined"), std::string::npos) << r.err;
}

// --trace: the caller's track ("main": starting the pool, submitting, waiting) and
// a track per thread that ran a task, numbered as the JSON's tasks_per_thread.
class Ch10Trace : public Ch10, public ::testing::WithParamInterface<std::string> {
 protected:
  static std::string trace_path() {
    return ::testing::TempDir() + "ch10_trace_" + std::to_string(getpid()) + ".json";
  }
};

// Every task is one span on the track of the thread that ran it; under stealing,
// a task run by any thread but the one that submitted them all was stolen.
TEST_P(Ch10Trace, EveryTaskIsOneSpanOnTheTrackOfItsThread) {
  const std::string& variant = GetParam();
  if (kThreadSanitizer && variant == "stealing") GTEST_SKIP() << "oneTBB under TSan";
  const std::string path = trace_path();
  const std::vector<std::string> args = {"--variant", variant, "--n",   "2000000",
                                         "--skew",    "8",     "--json"};
  const auto untraced = run_json(args);
  std::vector<std::string> with_trace = args;
  with_trace.insert(with_trace.end(), {"--trace", path});
  const auto json = run_json(with_trace);
  ASSERT_EQ(json.value("correct", false), true) << json.dump();
  EXPECT_EQ(json["sum"], untraced["sum"]);
  ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
  const auto trace = ptut::testing::read_trace(path);
  std::filesystem::remove(path);

  const auto* main = trace.track("main");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->named("wait").size(), 1u);
  const bool stealing = variant == "stealing";
  EXPECT_EQ(main->named("submit tasks").size(), stealing ? 0u : 1u);

  const std::uint64_t tasks = json["tasks"];
  std::vector<int> seen(tasks, 0);
  for (const auto& track : trace.tracks) {
    const auto mine = track.named("task");
    const auto stolen = track.named("stolen task");
    if (mine.empty() && stolen.empty()) continue;
    ASSERT_EQ(track.thread_name.rfind("thread ", 0), 0u) << track.thread_name;
    const unsigned thread = std::stoul(track.thread_name.substr(7));
    if (json.contains("tasks_per_thread")) {
      ASSERT_LE(thread, json["tasks_per_thread"].size());
      EXPECT_EQ(json["tasks_per_thread"][thread - 1], mine.size() + stolen.size())
          << track.thread_name;
    }
    if (stealing) {  // the submitter's own tasks, or another's stolen ones
      EXPECT_TRUE(track.named("submit tasks").empty() ? mine.empty() : stolen.empty())
          << track.thread_name;
    } else {
      EXPECT_TRUE(stolen.empty()) << "one shared queue: nothing to steal";
    }
    for (const auto* spans : {&mine, &stolen}) {
      for (const auto& span : *spans) {
        const std::uint64_t task = span.args.value("task", 0ULL);
        ASSERT_TRUE(task >= 1 && task <= tasks) << task;
        ++seen[task - 1];
      }
    }
  }
  EXPECT_EQ(seen, std::vector<int>(tasks, 1));
}

// A task that never ends: the program ends itself, and its trace still is valid,
// the stuck task's span closed where the program ended.
TEST_P(Ch10Trace, AStuckTasksSpanIsClosedWhereTheProgramEnded) {
  if (kThreadSanitizer && GetParam() == "stealing") GTEST_SKIP() << "oneTBB under TSan";
  const std::string path = trace_path();
  const auto r =
      run_chapter(kProgram,
                  {"--variant", GetParam(), "--workers", "3", "--fault", "3:hang", "--n",
                   "2000000", "--hang-timeout", "0.5", "--trace", path},
                  std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  ASSERT_EQ(ptut::testing::trace_problems(path), std::vector<std::string>{});
  const auto trace = ptut::testing::read_trace(path);
  std::filesystem::remove(path);
  int stuck = 0;
  for (const auto& track : trace.tracks) {
    for (const char* name : {"task", "stolen task"}) {
      for (const auto& span : track.named(name)) {
        if (span.args.value("task", 0ULL) != 3) continue;
        ++stuck;
        EXPECT_NE(span.ended, "") << "task 3 never ended: its span says so";
      }
    }
  }
  EXPECT_EQ(stuck, 1);
}

INSTANTIATE_TEST_SUITE_P(Variants, Ch10Trace, ::testing::ValuesIn(kVariants));

class Ch10BadInput : public Ch10, public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch10BadInput, IsRefusedWithOneLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, kProgram, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch10BadInput,
    ::testing::Values(
        BadInput{"chunk_zero", {"--chunk", "0"}, "--chunk: 0 is too small"},
        BadInput{"chunk_with_static",
                 {"--variant", "static", "--chunk", "4"},
                 "--chunk: static makes one task per worker"},
        BadInput{"too_many_tasks",
                 {"--n", "2000000", "--chunk", "1"},
                 "--chunk: 1 makes 2000000 tasks of 1..2000000; at most 1000000"},
        BadInput{"fault_kind",
                 {"--fault", "3:explode"},
                 "--fault: '3:explode' is not TASK:KIND with KIND throw or hang"},
        BadInput{"fault_task",
                 {"--fault", "11:throw"},
                 "there is no task 11; expected 1 to 10"},
        BadInput{"skew", {"--skew", "65"}, "--skew: 65 is too large"},
        BadInput{"hang_timeout", {"--hang-timeout", "0"}, "--hang-timeout"},
        BadInput{"variant_unknown", {"--variant", "fibers"}, "unknown variant 'fibers'"},
        BadInput{
            "trace_into_no_folder",
            {"--trace", "/nonexistent/run.json"},
            "--trace: cannot write '/nonexistent/run.json': No such file or directory"}),
    ptut::testing::bad_input_name);

}  // namespace
