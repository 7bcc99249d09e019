#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bad_input.hpp"
#include "ptut/cli.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

namespace {

using ptut::testing::bad_input_name;
using ptut::testing::BadInput;

ptut::ChapterSpec parallel_spec() {
  return {.target = "chXX_demo",
          .title = "demo",
          .about = "A chapter with workers, for testing the contract.",
          .variants = {{"racy", "loses updates", false}, {"partials", "exact", true}},
          .default_variant = "partials",
          .has_workers = true,
          .no_workers_reason = ""};
}

struct Parsed {
  std::optional<ptut::Options> options;
  int exit_status = -1;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<std::string> args, ptut::ChapterSpec spec = parallel_spec()) {
  ptut::CommandLine cli(spec);
  args.insert(args.begin(), spec.target);
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out;
  std::ostringstream err;
  Parsed parsed;
  parsed.options = cli.parse(static_cast<int>(argv.size()), argv.data(), out, err);
  parsed.exit_status = cli.exit_status();
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

TEST(CommandLine, DefaultsAreTheArticles) {
  const Parsed parsed = parse({});
  ASSERT_TRUE(parsed.options);
  EXPECT_EQ(parsed.options->n, 20u);
  EXPECT_EQ(parsed.options->workers, 2u);
  EXPECT_EQ(parsed.options->variant, "partials");
  EXPECT_EQ(parsed.options->work, 0u);
  EXPECT_FALSE(parsed.options->json);
  EXPECT_EQ(parsed.err, "");
}

TEST(CommandLine, ReadsEveryFlag) {
  const Parsed parsed = parse(
      {"--n", "2000000", "--workers=8", "--variant", "racy", "--work", "16", "--json"});
  ASSERT_TRUE(parsed.options) << parsed.err;
  EXPECT_EQ(parsed.options->n, 2'000'000u);
  EXPECT_EQ(parsed.options->workers, 8u);
  EXPECT_EQ(parsed.options->variant, "racy");
  EXPECT_EQ(parsed.options->work, 16u);
  EXPECT_TRUE(parsed.options->json);
}

TEST(CommandLine, AcceptsTheLimitsThemselves) {
  const Parsed top = parse({"--n", std::to_string(ptut::kMaxN), "--workers",
                            std::to_string(ptut::kMaxWorkers), "--work",
                            std::to_string(ptut::kMaxWork)});
  ASSERT_TRUE(top.options) << top.err;
  EXPECT_EQ(top.options->n, ptut::kMaxN);
  const Parsed bottom = parse({"--n", "0", "--workers", "1"});
  ASSERT_TRUE(bottom.options) << bottom.err;
  EXPECT_EQ(bottom.options->n, 0u);
}

TEST(CommandLine, LeadingZerosAreDecimalNotOctal) {
  const Parsed parsed = parse({"--n", "012"});
  ASSERT_TRUE(parsed.options) << parsed.err;
  EXPECT_EQ(parsed.options->n, 12u);
}

class CommandLineRefuses : public ::testing::TestWithParam<BadInput> {};

TEST_P(CommandLineRefuses, WithExitTwoAndOneLineNamingTheFlag) {
  const Parsed parsed = parse(GetParam().args);
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_status, ptut::kExitUsage);
  EXPECT_EQ(parsed.out, "");
  ASSERT_FALSE(parsed.err.empty());
  EXPECT_EQ(parsed.err.find('\n'), parsed.err.size() - 1) << "one line: " << parsed.err;
  EXPECT_EQ(parsed.err.rfind("chXX_demo: ", 0), 0u) << parsed.err;
  EXPECT_NE(parsed.err.find(GetParam().says), std::string::npos)
      << "expected '" << GetParam().says << "' in: " << parsed.err;
}

const std::string kNRange = "expected a whole number from 0 to 6074000999";
const std::string kWorkersRange = "expected a whole number from 1 to 256";

INSTANTIATE_TEST_SUITE_P(
    BadValues, CommandLineRefuses,
    ::testing::Values(
        BadInput{"n_negative", {"--n", "-5"}, "--n: -5 is negative; " + kNRange},
        BadInput{"n_abc", {"--n", "abc"}, "--n: 'abc' is not a whole number; " + kNRange},
        BadInput{"n_12x", {"--n", "12x"}, "--n: '12x' is not a whole number"},
        BadInput{"n_0x10", {"--n", "0x10"}, "--n: '0x10' is not a whole number"},
        BadInput{"n_1e6", {"--n", "1e6"}, "--n: '1e6' is not a whole number"},
        BadInput{"n_leading_space", {"--n", " 7"}, "--n: ' 7' is not a whole number"},
        BadInput{
            "n_empty", {"--n", ""}, "--n: an empty value is not a number; " + kNRange},
        BadInput{"n_without_value", {"--n"}, "--n: a value is missing"},
        BadInput{"n_sum_overflows",
                 {"--n", "6074001000"},
                 "--n: 6074001000 is too large: the sum 1..N must fit in 64 bits"},
        BadInput{"n_past_64_bits", {"--n", "99999999999999999999999"}, "is too large"},
        BadInput{"workers_0",
                 {"--workers", "0"},
                 "--workers: 0 is too small; " + kWorkersRange},
        BadInput{"workers_negative",
                 {"--workers", "-1"},
                 "--workers: -1 is negative; " + kWorkersRange},
        BadInput{"workers_above_cap",
                 {"--workers", "257"},
                 "--workers: 257 is too large: at most 256 workers"},
        BadInput{"workers_absurd",
                 {"--workers", "1000000000000"},
                 "--workers: 1000000000000 is too large"},
        BadInput{"workers_two",
                 {"--workers", "two"},
                 "--workers: 'two' is not a whole number"},
        BadInput{"work_1000001", {"--work", "1000001"}, "--work: 1000001 is too large"},
        BadInput{"work_negative", {"--work", "-1"}, "--work: -1 is negative"},
        BadInput{"variant_unknown",
                 {"--variant", "fast"},
                 "--variant: unknown variant 'fast'; choose one of racy, partials"},
        BadInput{"variant_empty", {"--variant", ""}, "--variant: unknown variant ''"},
        BadInput{"unknown_flag",
                 {"--bogus"},
                 "unknown option or argument '--bogus'; the options are --help, --n, "
                 "--workers, --variant, --work, --json"},
        BadInput{"positional", {"extra"}, "unknown option or argument 'extra'"},
        BadInput{"short_flag", {"-n", "5"}, "unknown option or argument '-n 5'"},
        BadInput{"n_twice", {"--n", "5", "--n", "6"}, "--n: given more than once"}),
    bad_input_name);

TEST(CommandLine, HelpListsEveryVariantAndExitsZero) {
  const Parsed parsed = parse({"--help"});
  EXPECT_FALSE(parsed.options);
  EXPECT_EQ(parsed.exit_status, ptut::kExitOk);
  EXPECT_EQ(parsed.err, "");
  for (const char* fragment :
       {"--n", "--workers", "--variant", "--work", "--json", "racy", "loses updates",
        "partials", "(default)", "Exit status"}) {
    EXPECT_NE(parsed.out.find(fragment), std::string::npos) << fragment;
  }
}

TEST(CommandLine, HelpWinsOverAnythingElseOnTheLine) {
  const Parsed parsed = parse({"--n", "x", "--help"});
  EXPECT_EQ(parsed.exit_status, ptut::kExitOk);
  EXPECT_NE(parsed.out.find("Variants"), std::string::npos);
  EXPECT_EQ(parsed.err, "");
}

TEST(CommandLine, ASerialChapterRefusesWorkersWithItsReason) {
  ptut::ChapterSpec serial = parallel_spec();
  serial.has_workers = false;
  serial.no_workers_reason = "this chapter is serial";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--workers", "2"}, {"--workers"}, {"--workers=3"}}) {
    const Parsed refused = parse(args, serial);
    EXPECT_EQ(refused.exit_status, ptut::kExitUsage);
    EXPECT_EQ(refused.err, "chXX_demo: --workers: this chapter is serial (see --help)\n");
  }
  const Parsed plain = parse({}, serial);
  ASSERT_TRUE(plain.options);
  EXPECT_EQ(plain.options->workers, 1u);
  EXPECT_EQ(parse({"--help"}, serial).out.find("--workers"), std::string::npos)
      << "a serial chapter's help does not offer --workers";
}

TEST(CommandLine, VariantLooksUpTheSpec) {
  ptut::CommandLine cli(parallel_spec());
  ptut::Options options;
  options.variant = "racy";
  EXPECT_FALSE(cli.variant(options).exact);
  options.variant = "nope";
  EXPECT_THROW((void)cli.variant(options), std::invalid_argument);
}

}  // namespace

namespace {

struct Row {
  ptut::Variant variant;
  int behaviour;
};
const Row kTable[] = {{{"first", "the first way"}, 1},
                      {{"second", "the second way", false}, 2}};

TEST(VariantTable, NamesAreFoundAndListedInTheTablesOrder) {
  EXPECT_EQ(ptut::find_variant(kTable, "second").behaviour, 2);
  EXPECT_THROW((void)ptut::find_variant(kTable, "third"), std::invalid_argument);
  const std::vector<ptut::Variant> variants = ptut::variants_of(kTable);
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].name, "first");
  EXPECT_FALSE(variants[1].exact);
}

}  // namespace
