#include "ptut/cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "ptut/range.hpp"
#include "ptut/work.hpp"

namespace ptut {
namespace {

std::string in_quotes(const std::string& text) {
  return "'" + text + "'";
}

std::string range_text(std::uint64_t min, std::uint64_t max) {
  return "expected a whole number from " + std::to_string(min) + " to " +
         std::to_string(max);
}

// CLI11 messages may span lines; the contract is one line per error.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.rfind(": ", 0) == 0) text.erase(0, 2);  // a hidden option's error has no name
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string variant_list(const ChapterSpec& spec) {
  std::string names;
  for (const Variant& v : spec.variants) names += (names.empty() ? "" : ", ") + v.name;
  return names;
}

std::string help_footer(const ChapterSpec& spec) {
  std::ostringstream text;
  text << "Variants (" << spec.variant_flag << "):\n";
  std::size_t width = 0;
  for (const Variant& v : spec.variants) width = std::max(width, v.name.size());
  for (const Variant& v : spec.variants) {
    text << "  " << v.name << std::string(width - v.name.size() + 2, ' ') << v.summary
         << (v.name == spec.default_variant ? " (default)" : "") << '\n';
  }
  text << "\nThe sum is exact in 64 bits: N above " << kMaxN
       << " is refused, never wrapped.\n"
          "Exit status: 0 success, 1 a failed run (said on stderr: which worker, and "
          "what\n"
          "happened to it), 2 a usage error.\n";
  return text.str();
}

}  // namespace

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max,
                            const std::string& too_large) {
  auto check = [=](std::string& text) -> std::string {
    if (text.empty()) return "an empty value is not a number; " + range_text(min, max);
    if (text.front() == '-' && text.size() > 1 &&
        std::all_of(text.begin() + 1, text.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      return text + " is negative; " + range_text(min, max);
    }
    if (!std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return in_quotes(text) + " is not a whole number; " + range_text(min, max);
    }
    std::uint64_t value = 0;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range || value > max) {
      return text + " is too large: " + too_large;
    }
    if (value < min) return text + " is too small; " + range_text(min, max);
    text = std::to_string(value);  // canonical: CLI11 would read "012" as octal
    return {};
  };
  return CLI::Validator(check, "");  // the option's description states the range
}

CommandLine::CommandLine(ChapterSpec spec)
    : spec_(std::move(spec)),
      app_(std::make_unique<CLI::App>(spec_.about, spec_.target)) {
  options_.variant = spec_.default_variant;
  app_->footer(help_footer(spec_));
  app_->get_formatter()->column_width(22);

  app_->add_option("--n", options_.n,
                   "Sum the integers 1..N, N from 0 to " + std::to_string(kMaxN) +
                       " (0 is the empty sum)")
      ->type_name("N")
      ->capture_default_str()
      ->transform(whole_number(
          0, kMaxN,
          "the sum 1..N must fit in 64 bits, so N is at most " + std::to_string(kMaxN)));
  if (spec_.has_workers) {
    app_->add_option(
            "--workers", options_.workers,
            "How many workers share the range, 1 to " + std::to_string(kMaxWorkers))
        ->type_name("K")
        ->capture_default_str()
        ->transform(whole_number(1, kMaxWorkers,
                                 "at most " + std::to_string(kMaxWorkers) +
                                     " workers; far more workers than cores measures the "
                                     "scheduler, not the approach"));
  }
  std::vector<std::string> names;
  for (const Variant& v : spec_.variants) names.push_back(v.name);
  const std::string variant_names = spec_.variant_flag == "--variant"
                                        ? std::string("--variant")
                                        : spec_.variant_flag + ",--variant";
  app_->add_option(variant_names, options_.variant, "Which variant to run (listed below)")
      ->type_name("V")
      ->capture_default_str()
      ->check([names, this](const std::string& value) -> std::string {
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        return "unknown variant " + in_quotes(value) + "; choose one of " +
               variant_list(spec_);
      });
  app_->add_option("--work", options_.work,
                   "Extra compute per element, 0 to " + std::to_string(kMaxWork) +
                       " rounds of arithmetic; the sum stays n(n+1)/2")
      ->type_name("W")
      ->capture_default_str()
      ->transform(whole_number(0, kMaxWork,
                               "at most " + std::to_string(kMaxWork) +
                                   " rounds per element (a million rounds take about a "
                                   "millisecond per element)"));
  app_->add_flag("--json", options_.json,
                 "Print one JSON object on stdout and nothing else");
  if (spec_.traceable) {
    app_->add_option("--trace", options_.trace,
                     "Write what each worker did, and when, to FILE as Chrome "
                     "trace-event JSON (open it in ui.perfetto.dev)")
        ->type_name("FILE")
        ->check([](const std::string& path) -> std::string {
          if (path.empty()) return "an empty path names no file";
          return {};
        });
  }
}

std::string CommandLine::option_list() const {
  std::string list;
  for (const CLI::Option* option : app_->get_options()) {
    if (option->get_group().empty()) continue;
    list += (list.empty() ? "" : ", ") + option->get_name();
  }
  return list;
}

CommandLine::~CommandLine() = default;

std::optional<Options> CommandLine::parse(int argc, const char* const* argv,
                                          std::ostream& out, std::ostream& err) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {  // help wins, whatever else is on the line
      out << app_->help();
      exit_status_ = kExitOk;
      return std::nullopt;
    }
    if (!spec_.has_workers && (arg == "--workers" || arg.rfind("--workers=", 0) == 0)) {
      err << spec_.target << ": --workers: " << spec_.no_workers_reason
          << " (see --help)\n";
      exit_status_ = kExitUsage;
      return std::nullopt;
    }
  }
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app_->help();
    exit_status_ = kExitOk;
    return std::nullopt;
  } catch (const CLI::ParseError& error) {
    std::string message = one_line(error.what());
    // CLI11's wording, made to name the flag and what is wrong in plain words.
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
      const std::string flag = message.substr(0, message.find(':'));
      if (message.find(" missing") != std::string::npos)
        message = flag + ": a value is missing";
      if (message.find("At Most") != std::string::npos)
        message = flag + ": given more than once";
    } else if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
      std::string extras;
      for (const std::string& extra : app_->remaining())
        extras += (extras.empty() ? "" : " ") + extra;
      message =
          "unknown option or argument '" + extras + "'; the options are " + option_list();
    }
    err << spec_.target << ": " << message << " (see --help)\n";
    exit_status_ = kExitUsage;
    return std::nullopt;
  }
  exit_status_ = kExitOk;
  Options parsed = options_;
  if (!spec_.has_workers) parsed.workers = 1;
  return parsed;
}

Options CommandLine::parse_or_exit(int argc, const char* const* argv) {
  std::optional<Options> parsed = parse(argc, argv, std::cout, std::cerr);
  if (!parsed) std::exit(exit_status_);
  return *parsed;
}

void CommandLine::fail_usage(const std::string& message) const {
  std::cerr << spec_.target << ": " << one_line(message) << " (see --help)\n";
  std::exit(kExitUsage);
}

CLI::Validator seconds_between(double min, double max) {
  return quantity_between(min, max, "seconds");
}

CLI::Validator quantity_between(double min, double max, const std::string& unit) {
  auto check = [=](const std::string& text) -> std::string {
    std::size_t used = 0;
    double seconds = 0;
    try {
      seconds = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty())
      return "'" + text + "' is not a number of " + unit;
    if (!std::isfinite(seconds) || seconds < min || seconds > max) {
      std::ostringstream range;
      range << text << " is out of range; expected " << min << " to " << max << ' '
            << unit;
      return range.str();
    }
    return {};
  };
  return CLI::Validator(check, "");
}

FaultRequest parse_fault(const CommandLine& cli, const std::string& text,
                         std::uint64_t count, const std::vector<std::string>& kinds,
                         const std::string& noun) {
  if (text.empty()) return {};
  const auto colon = text.find(':');
  const std::string number = text.substr(0, colon);
  FaultRequest fault;
  fault.kind = colon == std::string::npos ? "" : text.substr(colon + 1);
  std::string kind_list;
  for (const std::string& kind : kinds)
    kind_list += (kind_list.empty() ? "" : " or ") + kind;
  std::string upper = noun;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // Ten digits hold any count a chapter allows, and std::stoull cannot overflow.
  if (number.empty() || number.size() > 10 ||
      number.find_first_not_of("0123456789") != std::string::npos ||
      std::find(kinds.begin(), kinds.end(), fault.kind) == kinds.end()) {
    cli.fail_usage("--fault: '" + text + "' is not " + upper + ":KIND with KIND " +
                   kind_list);
  }
  const std::uint64_t chosen = std::stoull(number);
  if (chosen < 1 || chosen > count || chosen > UINT_MAX) {
    cli.fail_usage("--fault: there is no " + noun + " " + number + "; expected 1 to " +
                   std::to_string(count));
  }
  fault.worker = static_cast<unsigned>(chosen);
  return fault;
}

const Variant& CommandLine::variant(const Options& options) const {
  for (const Variant& v : spec_.variants) {
    if (v.name == options.variant) return v;
  }
  throw std::invalid_argument("no variant named '" + options.variant + "'");
}

}  // namespace ptut
