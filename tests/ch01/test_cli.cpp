// Chapter 1's executable, started as a reader starts it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bad_input.hpp"
#include "leak_check.hpp"
#include "runner.hpp"

namespace {

using ptut::testing::BadInput;
using ptut::testing::run_chapter;

class Ch01Program : public ptut::testing::NoLeaks {};

TEST_F(Ch01Program, DefaultsShowTheMachineEveryStepAnd210) {
  const auto r = run_chapter("ch01_serial_sum", {});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  EXPECT_EQ(r.err, "");
  const auto lines = r.out_lines();
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), "Chapter 1: the serial sum");
  for (const char* fact : {"compiler", "standard library", "C++ standard",
                           "logical cores", "usable cores"}) {
    EXPECT_NE(r.out.find(fact), std::string::npos) << fact;
  }
  EXPECT_NE(r.out.find("  i =  1   sum =    1\n"), std::string::npos);
  EXPECT_NE(r.out.find("  i = 20   sum =  210\n"), std::string::npos);
  EXPECT_EQ(
      lines.back().rfind("loop: 1 + 2 + … + 20 = 210 (expected 210: correct) in ", 0), 0u)
      << lines.back();
}

TEST_F(Ch01Program, TwoMillionAsJson) {
  const auto r = run_chapter("ch01_serial_sum", {"--n", "2000000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << "\n" << r.err;
  ASSERT_EQ(r.out_lines().size(), 1u) << "one JSON object and nothing else:\n" << r.out;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["sum"], "2000001000000");
  EXPECT_EQ(json["expected"], "2000001000000");
  EXPECT_EQ(json["correct"], true);
  EXPECT_EQ(json["chapter"], "ch01_serial_sum");
  EXPECT_EQ(json["variant"], "loop");
  EXPECT_EQ(json["n"], 2000000);
  EXPECT_EQ(json["workers"], 1);
  EXPECT_EQ(json["work"], 0);
  EXPECT_TRUE(json["seconds"].is_number());
  EXPECT_TRUE(json["machine"]["compiler"].is_string());
}

TEST_F(Ch01Program, LargeNPrintsOneSummaryLineAfterTheMachine) {
  const auto r = run_chapter("ch01_serial_sum", {"--n", "1000000", "--work", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.how();
  EXPECT_EQ(r.out.find("  i = "), std::string::npos) << "no steps for large N";
  EXPECT_EQ(
      r.out_lines().back().rfind(
          "loop: 1 + 2 + … + 1000000 = 500000500000 (expected 500000500000: correct) in ",
          0),
      0u)
      << r.out_lines().back();
  EXPECT_NE(r.out_lines().back().find(" per element"), std::string::npos);
}

TEST_F(Ch01Program, JsonAtSmallNIsStillOneObjectAndNothingElse) {
  for (const char* n : {"0", "20"}) {
    const auto r = run_chapter("ch01_serial_sum", {"--n", n, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.how();
    ASSERT_EQ(r.out_lines().size(), 1u) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["n"], std::stoi(n));
  }
}

TEST_F(Ch01Program, TheEmptySum) {
  const auto r = run_chapter("ch01_serial_sum", {"--n", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.how();
  EXPECT_EQ(
      r.out_lines().back().rfind("loop: the empty sum = 0 (expected 0: correct) in ", 0),
      0u)
      << r.out_lines().back();
}

TEST_F(Ch01Program, AnOutputThatCannotBeWrittenIsAFailedRun) {
  const auto r = ptut::testing::run_program(
      "/bin/sh",
      {"-c", ptut::testing::chapter_path("ch01_serial_sum") + " --json >/dev/full"});
  EXPECT_EQ(r.exit_code, 1) << r.how();
  EXPECT_EQ(r.err, "ch01_serial_sum: could not write the result to standard output\n");
}

TEST_F(Ch01Program, FormulaAtTheLargestN) {
  const auto r = run_chapter("ch01_serial_sum",
                             {"--variant", "formula", "--n", "6074000999", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.how() << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["sum"], "18446744070963499500");
}

TEST_F(Ch01Program, HelpExplainsEveryVariant) {
  const auto r = run_chapter("ch01_serial_sum", {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* fragment :
       {"loop", "the article's sumcalc", "formula", "Gauss", "--n", "--json"}) {
    EXPECT_NE(r.out.find(fragment), std::string::npos) << fragment;
  }
}

class Ch01BadInput : public ptut::testing::NoLeaks,
                     public ::testing::WithParamInterface<BadInput> {};

TEST_P(Ch01BadInput, ExitsTwoWithOneClearLine) {
  const auto r = run_chapter("ch01_serial_sum", GetParam().args);
  ptut::testing::expect_usage_error(r, "ch01_serial_sum", GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Cli, Ch01BadInput,
    ::testing::Values(
        BadInput{"n_negative",
                 {"--n", "-1"},
                 "--n: -1 is negative; expected a whole number from 0 to 6074000999"},
        BadInput{"n_twenty", {"--n", "twenty"}, "--n: 'twenty' is not a whole number"},
        BadInput{"n_20abc", {"--n", "20abc"}, "--n: '20abc' is not a whole number"},
        BadInput{"n_empty", {"--n", ""}, "--n: an empty value is not a number"},
        BadInput{"n_equals_nothing", {"--n="}, "--n: a value is missing"},
        BadInput{"n_without_value", {"--n"}, "--n: a value is missing"},
        BadInput{
            "workers_without_value", {"--workers"}, "--workers: chapter 1 is serial"},
        BadInput{"n_sum_overflows",
                 {"--n", "6074001000"},
                 "--n: 6074001000 is too large: the sum 1..N must fit in 64 bits, so N "
                 "is at most 6074000999"},
        BadInput{"n_past_64_bits",
                 {"--n", "18446744073709551616"},
                 "--n: 18446744073709551616 is too large"},
        BadInput{"workers_serial",
                 {"--workers", "2"},
                 "--workers: chapter 1 is serial and takes no --workers"},
        BadInput{"workers_0", {"--workers", "0"}, "--workers: chapter 1 is serial"},
        BadInput{
            "workers_negative", {"--workers", "-3"}, "--workers: chapter 1 is serial"},
        BadInput{
            "workers_absurd", {"--workers", "100000"}, "--workers: chapter 1 is serial"},
        BadInput{"variant_threads",
                 {"--variant", "threads"},
                 "--variant: unknown variant 'threads'; choose one of loop, formula"},
        BadInput{"work_x", {"--work", "x"}, "--work: 'x' is not a whole number"},
        BadInput{"formula_with_work",
                 {"--variant", "formula", "--work", "3"},
                 "--work: the formula variant visits no element"},
        BadInput{"unknown_flag", {"--verbose"}, "--verbose"}),
    ptut::testing::bad_input_name);

}  // namespace
