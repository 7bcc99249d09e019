// Chapter 7's driver, started as a reader starts it: a tiny grid end to end,
// its files, re-reading them, the plots, and bad input.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "bad_input.hpp"
#include "hurt.hpp"
#include "leak_check.hpp"
#include "../ch08/mpi_support.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;
using namespace std::chrono_literals;

constexpr const char* kProgram = "ch07_measuring";

// Each test writes in a folder of its own, removed afterwards: `ctest -j` runs them side
// by side.
class Ch07Program : public ptut::testing::NoLeaks {
 protected:
  void SetUp() override {
    NoLeaks::SetUp();
    // grids of every approach include chapter 8's jobs
    ptut::testing::use_this_build_of_chapter_8();
    char name[] = "/tmp/ptut_ch07_test_XXXXXX";
    ASSERT_NE(mkdtemp(name), nullptr);
    dir_ = name;
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    NoLeaks::TearDown();
  }
  static std::string read(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }
  // Times `approach` on a tiny grid (N = 20,000) and checks the dataset it wrote:
  // the serial loop and the approach, 1 and 2 workers, --work 0 and 16, two runs each.
  void expect_tiny_grid(const std::string& approach, std::chrono::seconds timeout) {
    const auto r = run_chapter(
        kProgram,
        {"--approach", approach, "--n", "20000", "--repeat", "2", "--out", dir_.string()},
        timeout);
    ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
    const nlohmann::json json = nlohmann::json::parse(read(dir_ / "custom.json"));
    ASSERT_EQ(json.at("points").size(), 6u) << json.dump(1);
    for (const auto& point : json.at("points")) {
      EXPECT_EQ(point.at("seconds").size(), 2u) << point;
    }
  }
  std::filesystem::path dir_;
};

TEST_F(Ch07Program, ATinyGridRunsEveryKindOfApproachAndWritesCsvAndJson) {
  // Threads (chapter 3), forked processes with shared memory, pipes and queues
  // (2, 4, 5): one N, so that it takes a second.
  for (const std::string approach :
       {"ch02.partials", "ch03.atomic", "ch04.asio", "ch05.dynamic", "ch06.cpu"}) {
    SCOPED_TRACE(approach);
    const auto r = run_chapter(
        kProgram,
        {"--approach", approach, "--n", "20000", "--repeat", "2", "--out", dir_.string()},
        60s);
    ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
    EXPECT_NE(r.out.find("Every point"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(approach), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("wrote " + (dir_ / "custom").string() + ".csv"),
              std::string::npos)
        << r.err;

    const nlohmann::json json = nlohmann::json::parse(read(dir_ / "custom.json"));
    EXPECT_EQ(json.at("format"), "ptut-ch07-measurements-1");
    // The serial loop and the approach, 1 and 2 workers, --work 0 and 16.
    ASSERT_EQ(json.at("points").size(), 6u) << json.dump(1);
    for (const auto& point : json.at("points")) {
      EXPECT_EQ(point.at("n"), 20000);
      EXPECT_EQ(point.at("seconds").size(), 2u) << point;
      for (const auto& s : point.at("seconds")) EXPECT_GT(s.get<double>(), 0.0);
    }
    EXPECT_EQ(json.at("machine").at("usable_cores").get<unsigned>() > 0, true);

    std::istringstream csv(read(dir_ / "custom.csv"));
    std::string line;
    std::size_t lines = 0;
    while (std::getline(csv, line)) ++lines;
    EXPECT_EQ(lines, 1u + 6u);
  }
}

// Whether --help lists `approach` as one this build cannot run.
bool listed_as_missing(const std::string& help, const std::string& approach) {
  const std::size_t at = help.find("  " + approach + " ");
  const std::size_t line_end = help.find('\n', at);
  return at == std::string::npos ||
         help.substr(at, line_end - at).find("not in this build") != std::string::npos;
}

// Chapter 8 is timed through mpirun, one job a run, when it was built.
TEST_F(Ch07Program, ChapterEightsJobsAreTimedWhenMpiWasBuilt) {
  const auto help = run_chapter(kProgram, {"--help"});
  if (listed_as_missing(help.out, "ch08.reduce"))
    GTEST_SKIP() << "built without MPI: no chapter 8";
  expect_tiny_grid("ch08.reduce", 120s);
}

// Chapter 9's loops run in this process, when chapter 9 was built with OpenMP and
// oneTBB (not in a ThreadSanitizer build, which builds chapter 9 apart with clang).
TEST_F(Ch07Program, ChapterNinesLoopsAreTimedWhenBuilt) {
  const auto help = run_chapter(kProgram, {"--help"});
  for (const std::string approach : {"ch09.omp_for", "ch09.omp_dynamic", "ch09.std_par",
                                     "ch09.tbb", "ch09.omp_for_simd"}) {
    SCOPED_TRACE(approach);
    if (listed_as_missing(help.out, approach)) {
      const auto refused = run_chapter(kProgram, {"--approach", approach});
      EXPECT_EQ(refused.exit_code, 2) << refused.how();
      EXPECT_NE(refused.err.find("chapter 9 needs OpenMP and oneTBB"), std::string::npos)
          << refused.err;
      continue;
    }
    expect_tiny_grid(approach, 60s);
  }
}

// --approaches measures several approaches point by point, each beside the loop:
// how chapter 10's tasks were measured with chapter 3's partials (the page's
// second dataset). Chapter 10 is built only with oneTBB (else this skips); its two
// pools run in every build, ThreadSanitizer's included.
TEST_F(Ch07Program, SeveralApproachesAreMeasuredSideBySideBesideTheLoop) {
  const auto help = run_chapter(kProgram, {"--help"});
  if (listed_as_missing(help.out, "ch10.pool"))
    GTEST_SKIP() << "built without oneTBB: no chapter 10";
  const auto r = run_chapter(kProgram,
                             {"--approaches", "ch10.pool,ch03.partials,ch10.packaged",
                              "--n", "20000", "--repeat", "2", "--out", dir_.string()},
                             60s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const nlohmann::json json = nlohmann::json::parse(read(dir_ / "custom.json"));
  EXPECT_EQ(json.at("grid").at("approaches"),
            (nlohmann::json{"ch10.pool", "ch03.partials", "ch10.packaged", "ch01.loop"}));
  // Three approaches with 1 and 2 workers and the loop, at --work 0 and 16.
  ASSERT_EQ(json.at("points").size(), 14u) << json.dump(1);
  for (const auto& point : json.at("points")) {
    EXPECT_EQ(point.at("seconds").size(), 2u) << point;
    EXPECT_EQ(point.value("serial_seconds", nlohmann::json::array()).size(),
              point.at("approach") == "ch01.loop" ? 0u : 2u)
        << point;
  }
  for (const char* name : {"ch10.pool", "ch03.partials", "ch10.packaged"})
    EXPECT_NE(r.out.find(name), std::string::npos) << r.out;
}

// --add-to measures one approach over a file's grid and puts it in the file.
TEST_F(Ch07Program, AnApproachAddedToADatasetJoinsItsFileAndCsv) {
  const auto first =
      run_chapter(kProgram, {"--approach", "ch03.partials", "--n", "1000", "--work", "0",
                             "--repeat", "1", "--out", dir_.string()});
  ASSERT_EQ(first.exit_code, 0) << first.how() << "\n" << first.err;
  const std::string file = (dir_ / "custom.json").string();
  const auto added =
      run_chapter(kProgram, {"--add-to", file, "--approach", "ch06.nogil"});
  ASSERT_EQ(added.exit_code, 0) << added.how() << "\n" << added.err;
  EXPECT_NE(added.err.find("added ch06.nogil to " + file + " and its CSV"),
            std::string::npos)
      << added.err;
  const nlohmann::json json = nlohmann::json::parse(read(file));
  EXPECT_EQ(json.at("grid").at("approaches"),
            (nlohmann::json{"ch01.loop", "ch03.partials", "ch06.nogil"}));
  EXPECT_EQ(json.at("points").size(), 5u)
      << "the loop, two points each of two approaches";
  EXPECT_NE(read(dir_ / "custom.csv")
                .find("\nch06.nogil,ch06_gil_contrast,threads,partials,1000,2,0,1,"),
            std::string::npos);
  const auto again = run_chapter(kProgram, {"--from", file});
  EXPECT_EQ(again.out, added.out) << "the report printed is the merged file's";
}

TEST_F(Ch07Program, JsonOnStdoutIsTheDatasetAndNothingElse) {
  const auto r =
      run_chapter(kProgram, {"--approach", "ch03.partials", "--n", "1000", "--work", "0",
                             "--repeat", "1", "--out", dir_.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const nlohmann::json json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json.at("points").size(), 3u);
  EXPECT_EQ(json.at("derived").size(), 3u);
  EXPECT_EQ(json.at("crossovers").size(), 0u) << "one N says nothing about a crossing";
}

TEST_F(Ch07Program, ReReadingTheJsonPrintsTheSameTables) {
  const auto measured =
      run_chapter(kProgram, {"--approach", "ch06.nogil", "--n", "100000", "--workers",
                             "4", "--repeat", "3", "--out", dir_.string()});
  ASSERT_EQ(measured.exit_code, 0) << measured.how() << "\n" << measured.err;
  const auto again = run_chapter(kProgram, {"--from", (dir_ / "custom.json").string()});
  ASSERT_EQ(again.exit_code, 0) << again.how() << "\n" << again.err;
  EXPECT_EQ(again.out, measured.out);
  EXPECT_EQ(again.err, "");
}

TEST_F(Ch07Program, OverBudgetPointsAreSkippedAndSaidSo) {
  // The loop takes about 0.5 ms at 10^6 here: with a 1 ms budget, 10^8 must be
  // skipped, and said to be.
  const auto skipping =
      run_chapter(kProgram, {"--approach", "ch01.loop", "--work", "0", "--budget",
                             "0.001", "--repeat", "1", "--out", dir_.string(), "--json"});
  ASSERT_EQ(skipping.exit_code, 0) << skipping.how() << "\n" << skipping.err;
  const nlohmann::json json = nlohmann::json::parse(skipping.out);
  // The first skipped N says its estimate; every larger one, that the chain has stopped.
  std::vector<std::string> reasons;
  for (const auto& point : json.at("points"))
    reasons.push_back(point.value("skipped", std::string()));
  const auto first = std::find_if(reasons.begin(), reasons.end(),
                                  [](const std::string& r) { return !r.empty(); });
  ASSERT_NE(first, reasons.end()) << json.at("points").dump(1);
  EXPECT_EQ(first->rfind("estimated ", 0), 0u) << *first;
  EXPECT_NE(first->find("a run, over the budget of 1 ms"), std::string::npos) << *first;
  ASSERT_NE(first + 1, reasons.end()) << "10^8 must be skipped";
  for (auto later = first + 1; later != reasons.end(); ++later) {
    EXPECT_EQ(*later, "a smaller N was over the budget of 1 ms");
  }
}

TEST_F(Ch07Program, ThePlotStepDrawsSvgsFromAMeasuredGrid) {
  // The quick grid's N with a tiny budget: every approach, a few N each, in seconds.
  const auto r = run_chapter(
      kProgram, {"--budget", "0.002", "--repeat", "1", "--out", dir_.string()}, 90s);
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  const std::string prefix = (dir_ / "ch07_test").string();
  const auto plotted = ptut::testing::run_program(
      PTUT_CMAKE,
      {"-DPROGRAM=" + ptut::testing::chapter_path(kProgram), "-DGNUPLOT=" PTUT_GNUPLOT,
       "-DSCRIPT=" PTUT_SOURCE_DIR "/chapters/07_measuring/plots.gp",
       "-DDATA=" + (dir_ / "quick.json").string(), "-DPREFIX=" + prefix,
       "-DTEXT=" + prefix + ".txt", "-DOPTIONAL=ON", "-DFIGURES=3", "-P",
       PTUT_SOURCE_DIR "/chapters/07_measuring/plot.cmake"},
      60s);
  ASSERT_EQ(plotted.exit_code, 0) << plotted.how() << "\n" << plotted.out << plotted.err;
  const std::string measured = read((dir_ / "quick.json").string());
  for (const char* name : {"_time_work0.svg", "_time_work16.svg", "_speedup.svg"}) {
    const std::string svg = read(prefix + name);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << name;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << name;
    EXPECT_NE(svg.find("ch03.partials"), std::string::npos)
        << name << ": every approach has a line";
    // A name with an underscore drawn as it is written: gnuplot's enhanced text
    // would split it into "ch09.omp" and a subscript "f" ("or" after it). Chapter
    // 9's loops are the names with one; a build without them in chapter 7 (the
    // ThreadSanitizer preset builds chapter 9 apart, with clang) has none to draw.
    if (measured.find("ch09.omp_for") != std::string::npos) {
      EXPECT_NE(svg.find(">ch09.omp_for"), std::string::npos)
          << name << ": series names are drawn literally";
    }
  }
  // Two groups of approaches a figure: the rest (or a placeholder, where this
  // build has fewer groups) in the second and third.
  for (const char* name : {"_time_work0_2.svg", "_time_work0_3.svg", "_time_work16_2.svg",
                           "_time_work16_3.svg", "_speedup_2.svg", "_speedup_3.svg"}) {
    EXPECT_NE(read(prefix + name).find("</svg>"), std::string::npos) << name;
  }
  // The report of the plotted data (what it holds beyond its heading depends on how
  // many N the budget let through on this machine, under this build).
  EXPECT_NE(
      read(prefix + ".txt").find("Chapter 7: measuring, the quick grid\n  measured "),
      std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(prefix + ".staging"));
}

TEST_F(Ch07Program, WithoutDataThePlotStepSaysHowToMeasure) {
  const std::string prefix = (dir_ / "ch07_none").string();
  const auto plotted = ptut::testing::run_program(
      PTUT_CMAKE,
      {"-DPROGRAM=" + ptut::testing::chapter_path(kProgram), "-DGNUPLOT=" PTUT_GNUPLOT,
       "-DSCRIPT=" PTUT_SOURCE_DIR "/chapters/07_measuring/plots.gp",
       "-DDATA=" + (dir_ / "missing.json").string(), "-DPREFIX=" + prefix,
       "-DTEXT=" + prefix + ".txt", "-DOPTIONAL=ON", "-P",
       PTUT_SOURCE_DIR "/chapters/07_measuring/plot.cmake"});
  ASSERT_EQ(plotted.exit_code, 0) << plotted.how() << "\n" << plotted.err;
  EXPECT_NE(read(prefix + ".txt").find("scripts/tour"), std::string::npos);
  EXPECT_NE(read(prefix + "_time_work0.svg").find("Not measured on this machine yet"),
            std::string::npos);
}

TEST_F(Ch07Program, AFileThatIsNotADatasetIsAFailedRunNamed) {
  std::ofstream(dir_ / "bad.json") << "{\"format\": 1}";
  std::ofstream(dir_ / "text.json") << "not json";
  for (const auto& [file, says] :
       {std::pair{"bad.json", "not a chapter 7 measurement file"},
        std::pair{"text.json", "is not JSON"},
        std::pair{"missing.json", "cannot read"}}) {
    const auto r = run_chapter(kProgram, {"--from", (dir_ / file).string()});
    EXPECT_EQ(r.exit_code, 1) << r.how();
    ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  }
}

// Kills the program's first worker process once it has run 0.3 s.
struct KillFirstWorker {
  pid_t victim = 0;
  ptut::Stopwatch since_start, since_kill;
  void operator()(pid_t program, const std::string&) {
    if (victim != 0 || since_start.seconds() < 0.3) return;
    const auto workers = ptut::testing::children_of(program);
    if (workers.empty()) return;
    victim = workers.front();
    kill(victim, SIGKILL);
    since_kill.restart();
  }
};

TEST_F(Ch07Program, AKilledWorkerEndsTheRunNamingTheApproachThePointAndTheWorker) {
  KillFirstWorker killer;
  const auto r =
      run_chapter(kProgram,
                  {"--approach", "ch04.asio", "--n", "6074000999", "--work", "0",
                   "--repeat", "1", "--budget", "3600", "--out", dir_.string()},
                  60s, std::ref(killer));
  ASSERT_NE(killer.victim, 0) << r.how();
  EXPECT_EQ(r.exit_code, 1) << r.how() << "\n" << r.err;
  EXPECT_LT(killer.since_kill.seconds(), 2.0);
  const std::regex says(
      R"((  measuring .*\n)*)"
      R"(ch07_measuring: ch04\.asio with N = 6074000999, 1 worker, work 0: )"
      R"(worker 1 \(pid (\d+)\) was killed by SIGKILL.*\n)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(r.err, match, says)) << r.err;
  EXPECT_EQ(std::stoi(match[2]), killer.victim);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "custom.json"))
      << "a failed grid writes no results";
}

TEST_F(Ch07Program, CtrlCEndsTheProgramByTheSignalAndLeavesNothingBehind) {
  // Chapter 5's named queues are in /dev/shm while it runs; NoLeaks checks they are gone.
  ptut::testing::SignalTheProgram interrupter(SIGINT);
  interrupter.workers = 1;
  interrupter.whole_group = true;
  const auto r =
      run_chapter(kProgram,
                  {"--approach", "ch05.dynamic", "--n", "6074000999", "--work", "0",
                   "--repeat", "1", "--budget", "3600", "--out", dir_.string()},
                  60s, std::ref(interrupter));
  ASSERT_TRUE(interrupter.sent) << r.how();
  EXPECT_EQ(r.signal, SIGINT) << r.how() << "\n" << r.err;
  EXPECT_NE(r.err.find("ch07_measuring: "), std::string::npos) << r.err;
}

class Ch07BadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(Ch07BadInput, IsRefusedWithOneLine) {
  const auto r = run_chapter(kProgram, GetParam().args);
  ptut::testing::expect_usage_error(r, kProgram, GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Ch07BadInput,
    ::testing::Values(
        BadInput{"UnknownApproach",
                 {"--approach", "ch09.magic"},
                 "unknown variant 'ch09.magic'"},
        BadInput{"UnknownOfSeveral",
                 {"--approaches", "ch03.partials,ch10.magic"},
                 "--approaches: unknown approach 'ch10.magic'"},
        BadInput{"OneAndSeveral",
                 {"--approach", "ch03.partials", "--approaches", "ch03.atomic"},
                 "excludes"},
        BadInput{"FromWithSeveral",
                 {"--from", "x.json", "--approaches", "ch03.atomic"},
                 "--from"},
        BadInput{"ZeroRepeats", {"--repeat", "0"}, "--repeat"},
        BadInput{"TooManyRepeats", {"--repeat", "101"}, "at most 100"},
        BadInput{"NegativeBudget", {"--budget", "-1"}, "out of range"},
        BadInput{"BudgetNotANumber", {"--budget", "soon"}, "not a number of seconds"},
        BadInput{"FromWhileMeasuring", {"--from", "x.json", "--full"}, "--from"},
        BadInput{"FromWithN", {"--from", "x.json", "--n", "5"}, "--from"},
        BadInput{"AddToWithoutApproach",
                 {"--add-to", "x.json"},
                 "--add-to: name the approach"},
        BadInput{"AddToWithN",
                 {"--add-to", "x.json", "--approach", "ch03.atomic", "--n", "5"},
                 "--add-to: the file's own grid"},
        BadInput{"NegativeN", {"--n", "-3"}, "negative"},
        BadInput{"Stray", {"extra"}, "unknown option or argument 'extra'"}),
    ptut::testing::bad_input_name);

}  // namespace
