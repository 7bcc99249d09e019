#include "ptut/report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ostream>

#include "ptut/machine.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"

namespace ptut {
namespace {

// expected − sum as a signed decimal: a lost update makes it positive.
std::string difference(std::uint64_t expected, std::uint64_t sum) {
  return sum <= expected ? std::to_string(expected - sum)
                         : "-" + std::to_string(sum - expected);
}

std::string percent(double part, double whole) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return text;
}

}  // namespace

nlohmann::json run_json(const ChapterSpec& spec, const Options& options,
                        const RunResult& result, const nlohmann::json& facts) {
  const std::uint64_t expected = closed_form(options.n);
  const bool visits =
      spec.variants.empty() ||
      std::any_of(spec.variants.begin(), spec.variants.end(), [&](const Variant& v) {
        return v.name == options.variant && v.visits_elements;
      });
  nlohmann::json object = {
      {"chapter", spec.target},
      {"variant", options.variant},
      {"n", options.n},
      {"workers", options.workers},
      {"work", options.work},
      {"sum", std::to_string(result.sum)},
      {"expected", std::to_string(expected)},
      {"lost", difference(expected, result.sum)},
      {"correct", result.sum == expected},
      {"seconds", result.seconds},
      {"ns_per_element",
       visits && options.n > 0
           ? nlohmann::json(result.seconds * 1e9 / static_cast<double>(options.n))
           : nlohmann::json(nullptr)},
      {"machine", to_json(describe_machine())},
  };
  for (const auto& [key, value] : facts.items()) object[key] = value;
  return object;
}

void print_step(std::string_view who, std::uint64_t i, std::string_view what,
                std::uint64_t value) {
  char line[160];
  const int length = std::snprintf(
      line, sizeof line, "  %.*s: i = %2llu, %.*s = %4llu\n",
      static_cast<int>(who.size()), who.data(), static_cast<unsigned long long>(i),
      static_cast<int>(what.size()), what.data(), static_cast<unsigned long long>(value));
  write_line(
      STDOUT_FILENO,
      std::string_view(
          line,
          length > 0 ? std::min(static_cast<std::size_t>(length), sizeof line - 1) : 0));
}

void write_line(int fd, std::string_view line) {
  // A signal (a worker ending) may interrupt the write, or cut it short.
  const char* next = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t written = write(fd, next, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // the stream is gone: the summary's write will say so
    next += written;
    left -= static_cast<std::size_t>(written);
  }
}

std::string counted(std::uint64_t count, std::string_view one, std::string_view many) {
  return std::to_string(count) + " " + std::string(count == 1 ? one : many);
}

std::string sum_text(std::uint64_t n) {
  if (n == 0) return "the empty sum";
  if (n > 3) return "1 + 2 + … + " + std::to_string(n);
  std::string text = "1";
  for (std::uint64_t i = 2; i <= n; ++i) text += " + " + std::to_string(i);
  return text;
}

std::string summary_line(const Variant& variant, const Options& options,
                         const RunResult& result) {
  const std::uint64_t expected = closed_form(options.n);
  std::string line = variant.name;
  if (options.workers > 1) line += ", " + std::to_string(options.workers) + " workers";
  line += ": " + sum_text(options.n) + " = " + std::to_string(result.sum) +
          " (expected " + std::to_string(expected) + ": ";
  if (result.sum == expected) {
    line += "correct";
  } else if (result.sum < expected) {
    line += "lost " + std::to_string(expected - result.sum) + ", " +
            percent(static_cast<double>(expected - result.sum),
                    static_cast<double>(expected)) +
            " of the total";
  } else {
    line += "WRONG, " + std::to_string(result.sum - expected) + " too much";
  }
  line += ") in " + format_seconds(result.seconds);
  if (variant.visits_elements && options.n >= 1'000'000) {
    line += ", " + format_seconds(result.seconds / static_cast<double>(options.n)) +
            " per element";
  }
  return line;
}

int report(const CommandLine& cli, const Options& options, const RunResult& result,
           std::ostream& out, std::ostream& err, const nlohmann::json& facts) {
  const Variant& variant = cli.variant(options);
  if (options.json) {
    out << run_json(cli.spec(), options, result, facts).dump() << '\n';
  } else {
    out << summary_line(variant, options, result) << '\n';
  }
  out.flush();
  if (!out) {
    err << cli.spec().target << ": could not write the result to standard output\n";
    return kExitFailed;
  }
  if (variant.exact && result.sum != closed_form(options.n)) {
    err << cli.spec().target << ": variant " << variant.name
        << " claims an exact sum but returned " << result.sum << " instead of "
        << closed_form(options.n) << '\n';
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace ptut
