// The trace writer (ptut/trace.hpp): a finished trace is valid trace-event JSON
// with a named track per thread and per forked worker; a worker killed in the
// middle of a span leaves a trace that is still valid and says where it ended.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <system_error>
#include <thread>

#include "ptut/process.hpp"
#include "ptut/trace.hpp"
#include "trace_check.hpp"

namespace {

using ptut::testing::read_trace;
using ptut::testing::trace_problems;

std::string temporary_path(const std::string& what) {
  return ::testing::TempDir() + "ptut_trace_" + what + "_" + std::to_string(getpid()) +
         ".json";
}

TEST(Trace, IsOffUnlessASessionIsOpen) {
  EXPECT_FALSE(ptut::trace::on);
  const ptut::trace::Span span("chunk", {{"chunk", 1}});  // writes nothing anywhere
  EXPECT_FALSE(ptut::trace::on);
}

TEST(Trace, ThreadsGetNamedTracksOfBalancedSpans) {
  const std::string path = temporary_path("threads");
  {
    ptut::trace::Session session(path, "test");
    ASSERT_TRUE(ptut::trace::on);
    auto work = [](int number) {
      ptut::trace::name_thread("thread " + std::to_string(number));
      for (std::uint64_t chunk = 1; chunk <= 3; ++chunk) {
        const ptut::trace::Span span("chunk", {{"chunk", chunk}});
        const ptut::trace::Span inner("add");
      }
    };
    std::thread first(work, 1);
    std::thread second(work, 2);
    first.join();
    second.join();
  }
  EXPECT_FALSE(ptut::trace::on);
  EXPECT_EQ(trace_problems(path), std::vector<std::string>{});
  const auto trace = read_trace(path);
  for (const char* name : {"thread 1", "thread 2"}) {
    const auto* track = trace.track(name);
    ASSERT_NE(track, nullptr) << name;
    ASSERT_EQ(track->named("chunk").size(), 3u);
    EXPECT_EQ(track->named("chunk")[2].args.value("chunk", 0), 3);
    EXPECT_EQ(track->named("add").size(), 3u);
  }
  EXPECT_NE(trace.track("main"), nullptr);  // the program's own track
  std::remove(path.c_str());
}

TEST(Trace, AWorkerKilledInASpanLeavesAValidTraceThatSaysWhereItEnded) {
  const std::string path = temporary_path("killed");
  {
    ptut::trace::Session session(path, "test");
    ptut::ChildProcesses children;
    // The healthy worker first, to its end: a failure stops every worker still
    // running, and this one must have run.
    children.start(2, [] {
      const ptut::trace::Span span("chunk", {{"chunk", 8}});
      return 0;
    });
    ASSERT_FALSE(children.wait().has_value());
    children.start(1, [] {
      const ptut::trace::Span span("chunk", {{"chunk", 7}});
      std::raise(SIGKILL);
      return 0;
    });
    ASSERT_TRUE(children.wait().has_value());
  }
  EXPECT_EQ(trace_problems(path), std::vector<std::string>{});
  const auto trace = read_trace(path);
  const auto* killed = trace.track("worker 1");
  ASSERT_NE(killed, nullptr);
  ASSERT_EQ(killed->named("chunk").size(), 1u);
  EXPECT_NE(killed->named("chunk")[0].ended.find("killed by SIGKILL"), std::string::npos)
      << killed->named("chunk")[0].ended;
  ASSERT_EQ(killed->named("died").size(), 1u);
  const auto* finished = trace.track("worker 2");
  ASSERT_NE(finished, nullptr);
  ASSERT_EQ(finished->named("chunk").size(), 1u);
  EXPECT_EQ(finished->named("chunk")[0].ended, "");
  EXPECT_TRUE(finished->named("died").empty());
  std::remove(path.c_str());
}

TEST(Trace, AFileThatCannotBeWrittenIsRefused) {
  EXPECT_THROW(ptut::trace::Session("/nonexistent-folder/t.json", "test"),
               std::system_error);
  EXPECT_FALSE(ptut::trace::on);
}

}  // namespace
