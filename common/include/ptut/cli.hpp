/// \file
/// \brief The command-line contract every chapter keeps (`--n`, `--workers`,
/// `--variant`, `--work`, `--json`, `--help`), parsed with CLI11.
///
/// CLI11 is a small, header-only, widely used parser packaged by Debian
/// (`libcli11-dev`); chapters that need options of their own add them to app()
/// before parsing. The checks here are the project's: whole decimal numbers only
/// (CLI11 alone would read `0x10` as 16 and `012` as octal), ranges named in the
/// message, and one line per error.
///
/// This header only names CLI11's types: a file that adds options of its own (a
/// chapter's main.cpp) includes `<CLI/CLI.hpp>` itself. CLI11 2.1 is header-only
/// and defines its whole parser inline, which costs several seconds of compiling
/// per file at -O2; the chapters' libraries and the tests never parse a command
/// line, so they are spared it.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ptut/contract.hpp"

namespace CLI {
class App;
class Validator;
}  // namespace CLI

namespace ptut {

// kDefaultN, kDefaultWorkers, kMaxWorkers and the exit statuses: ptut/contract.hpp.

/// One way a chapter solves the problem, selectable with `--variant`.
struct Variant {
  std::string name;     ///< what `--variant` takes, e.g. "racy"
  std::string summary;  ///< one line for `--help`
  /// True when the variant claims the exact sum; a wrong sum from it is a failed
  /// run (exit 1). Deliberately racy variants are not exact: they report what
  /// they lost and exit 0.
  bool exact = true;
  /// False for a variant that computes the sum without visiting the elements
  /// (a formula): a time per element then means nothing and is not printed.
  bool visits_elements = true;
};

/// The row of a chapter's variant table (rows with a `variant` member, a
/// ptut::Variant, beside what the chapter does differently for it) named `name`:
/// the one place a chapter turns the name into behaviour.
/// \throws std::invalid_argument for a name the table lacks (the command line
/// refuses those before a run starts).
template <class Row, std::size_t N>
[[nodiscard]] const Row& find_variant(const Row (&table)[N], std::string_view name) {
  for (const Row& row : table) {
    if (row.variant.name == name) return row;
  }
  throw std::invalid_argument("no variant '" + std::string(name) + "'");
}

/// The variants of a chapter's table, in its order: ChapterSpec::variants, which
/// `--help` lists.
template <class Row, std::size_t N>
[[nodiscard]] std::vector<Variant> variants_of(const Row (&table)[N]) {
  std::vector<Variant> variants;
  for (const Row& row : table) variants.push_back(row.variant);
  return variants;
}

/// What a chapter tells the parser about itself.
struct ChapterSpec {
  std::string target;             ///< the executable's name, e.g. "ch01_serial_sum"
  std::string title;              ///< e.g. "Chapter 1: the serial sum"
  std::string about;              ///< a sentence or two for `--help`
  std::vector<Variant> variants;  ///< every variant, in the order `--help` lists them
  /// the recommended variant, used when `--variant` is absent
  std::string default_variant;
  /// False for a serial chapter: `--workers` is then refused with no_workers_reason.
  bool has_workers = true;
  /// why `--workers` makes no sense, when has_workers is false
  std::string no_workers_reason;
  /// The flag that picks a variant. A chapter whose variants are better called
  /// something else (chapter 6's modes) names its flag here; `--variant` stays
  /// accepted as a synonym, and JSON still says "variant".
  std::string variant_flag = "--variant";
  /// True for a chapter whose program writes `--trace FILE` (ptut/trace.hpp): what
  /// each worker did and when, for Perfetto or the page's timeline.
  bool traceable = false;
};

/// The parsed command line. Defaults are the article's.
struct Options {
  std::uint64_t n = kDefaultN;  ///< sum 1..n; 0 is the empty sum
  /// processes or threads (1 for a serial chapter)
  unsigned workers = kDefaultWorkers;
  std::string variant;  ///< one of ChapterSpec::variants
  /// rounds of extra compute per element (see element())
  unsigned work = 0;
  bool json = false;  ///< print one JSON object instead of prose
  /// `--trace FILE`: where to write the run's trace (ptut/trace.hpp); empty for none
  std::string trace;
};

/// The contract's parser for one chapter.
///
/// \code
/// ptut::CommandLine cli(spec);
/// cli.app().add_option("--chunk", chunk, "...");   // a chapter's own option, if any
/// const ptut::Options options = cli.parse_or_exit(argc, argv);
/// \endcode
class CommandLine {
 public:
  /// Registers the contract's options for the chapter described by `spec`.
  explicit CommandLine(ChapterSpec spec);
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  /// The underlying CLI11 application, to add a chapter's own options (the
  /// caller includes `<CLI/CLI.hpp>`).
  [[nodiscard]] CLI::App& app() noexcept { return *app_; }
  /// The chapter this parser was made for.
  [[nodiscard]] const ChapterSpec& spec() const noexcept { return spec_; }

  /// Parses argv. On success returns the options. On `--help` prints the usage to
  /// `out`; on an error prints one line to `err`, naming the flag and what it
  /// accepts. Both return std::nullopt; exit_status() then says 0 or 2.
  [[nodiscard]] std::optional<Options> parse(int argc, const char* const* argv,
                                             std::ostream& out, std::ostream& err);
  /// The exit status a program should end with after parse() returned nullopt.
  [[nodiscard]] int exit_status() const noexcept { return exit_status_; }

  /// parse() against stdout and stderr; exits the process on `--help` (0) or an
  /// error (2).
  [[nodiscard]] Options parse_or_exit(int argc, const char* const* argv);

  /// Ends the program as a usage error (exit 2) with one line naming the problem,
  /// for checks that involve more than one option.
  [[noreturn]] void fail_usage(const std::string& message) const;

  /// The variant the options name.
  [[nodiscard]] const Variant& variant(const Options& options) const;

 private:
  std::string option_list() const;

  ChapterSpec spec_;
  std::unique_ptr<CLI::App> app_;
  Options options_;
  int exit_status_ = kExitOk;
};

/// What `--fault WORKER:KIND` asked for, as typed: chapters let a reader make one
/// worker fail.
struct FaultRequest {
  unsigned worker = 0;  ///< 1-based (a worker, or a task); 0 when no fault was asked for
  std::string kind;     ///< one of the kinds the chapter offers
};

/// Reads `--fault WORKER:KIND` (empty `text`: no fault); a malformed value, a number
/// outside 1..count or a kind not in `kinds` ends the program as a usage error.
/// `noun` is what the number counts, for the messages: "worker", or "task" where
/// the faulty unit is a task (chapter 10: `--fault TASK:KIND`).
[[nodiscard]] FaultRequest parse_fault(const CommandLine& cli, const std::string& text,
                                       std::uint64_t count,
                                       const std::vector<std::string>& kinds,
                                       const std::string& noun = "worker");

/// A word a reader types beside the value it stands for in a chapter's code:
/// `{"kill", FaultKind::kill}`. A chapter's table of these is the one place the
/// word becomes behaviour.
template <class Value>
struct Named {
  std::string_view name;  ///< what the reader types
  Value value;            ///< what it stands for
};

/// The value `name` stands for in `table` (a word the command line has already
/// checked, with CLI::IsMember, say).
/// \throws std::invalid_argument for a word the table lacks.
template <class Value, std::size_t N>
[[nodiscard]] Value named_value(const Named<Value> (&table)[N], std::string_view name) {
  for (const Named<Value>& entry : table) {
    if (entry.name == name) return entry.value;
  }
  throw std::invalid_argument("no '" + std::string(name) + "' here");
}

/// The word `table` gives `value`, for output that a later reader maps back with
/// named_value(). \throws std::invalid_argument for a value the table lacks.
template <class Value, std::size_t N>
[[nodiscard]] std::string_view name_of(const Named<Value> (&table)[N], Value value) {
  for (const Named<Value>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  throw std::invalid_argument("a value with no name here");
}

/// The words of `table`, in its order: what CLI::IsMember accepts.
template <class Value, std::size_t N>
[[nodiscard]] std::vector<std::string> names_of(const Named<Value> (&table)[N]) {
  std::vector<std::string> names;
  for (const Named<Value>& entry : table) names.emplace_back(entry.name);
  return names;
}

/// Which worker (or task) fails, and how: `kind` one of the chapter's own enum.
template <class Kind>
struct Fault {
  unsigned worker = 0;  ///< 1-based; 0: no fault
  Kind kind{};          ///< meaningless when worker is 0
};

/// parse_fault() with the kinds a chapter's enum names: the result holds the
/// enum, so no code after the command line compares a kind's name.
template <class Kind, std::size_t N>
[[nodiscard]] Fault<Kind> parse_fault(const CommandLine& cli, const std::string& text,
                                      std::uint64_t count, const Named<Kind> (&kinds)[N],
                                      const std::string& noun = "worker") {
  const FaultRequest request = parse_fault(cli, text, count, names_of(kinds), noun);
  Fault<Kind> fault;
  fault.worker = request.worker;
  if (fault.worker != 0) fault.kind = named_value(kinds, request.kind);
  return fault;
}

/// A CLI11 transform that accepts only a plain decimal whole number in
/// [min, max] and rewrites it canonically; `too_large` explains the upper limit.
[[nodiscard]] CLI::Validator whole_number(std::uint64_t min, std::uint64_t max,
                                          const std::string& too_large);

/// A CLI11 check that accepts a finite number of `unit` (a decimal, `0.5`) in
/// [min, max], and names the range and the unit when it refuses one.
[[nodiscard]] CLI::Validator quantity_between(double min, double max,
                                              const std::string& unit);

/// quantity_between(min, max, "seconds"), for `--hang-timeout 0.5`.
[[nodiscard]] CLI::Validator seconds_between(double min, double max);

}  // namespace ptut
