#include "ptut/core.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ptut/cli.hpp"

namespace ptut {
namespace {

// The program's name, as the first word of an error line.
std::string_view program_name(const char* argv0) {
  const std::string_view path(argv0 != nullptr ? argv0 : "core");
  return path.substr(path.find_last_of('/') + 1);
}

std::uint64_t whole_number(std::string_view program, const char* text, std::uint64_t low,
                           std::uint64_t high, std::string_view name,
                           std::string_view usage = "[N [K]]") {
  const std::string_view digits(text);
  std::uint64_t value = 0;
  bool fits = !digits.empty() && digits.size() <= 19;
  for (const char c : digits) fits = fits && c >= '0' && c <= '9';
  if (fits) value = std::strtoull(text, nullptr, 10);
  if (!fits || value < low || value > high) {
    std::fprintf(
        stderr,
        "%.*s: %.*s must be a whole number from %llu to %llu, not '%s' (usage: "
        "%.*s %.*s)\n",
        static_cast<int>(program.size()), program.data(), static_cast<int>(name.size()),
        name.data(), static_cast<unsigned long long>(low),
        static_cast<unsigned long long>(high), text, static_cast<int>(program.size()),
        program.data(), static_cast<int>(usage.size()), usage.data());
    std::exit(kExitUsage);
  }
  return value;
}

}  // namespace

CoreArgs core_args(int argc, char** argv) {
  const std::string_view program = program_name(argc > 0 ? argv[0] : nullptr);
  if (argc > 3) {
    std::fprintf(stderr, "%.*s: at most two arguments (usage: %.*s [N [K]])\n",
                 static_cast<int>(program.size()), program.data(),
                 static_cast<int>(program.size()), program.data());
    std::exit(kExitUsage);
  }
  CoreArgs args;
  if (argc > 1) args.n = whole_number(program, argv[1], 0, kMaxN, "N");
  if (argc > 2)
    args.workers =
        static_cast<unsigned>(whole_number(program, argv[2], 1, kMaxWorkers, "K"));
  return args;
}

CoreArgs core_args_with_worker(int argc, char** argv, unsigned& chosen) {
  const std::string_view program = program_name(argc > 0 ? argv[0] : nullptr);
  if (argc > 4) {
    std::fprintf(stderr, "%.*s: at most three arguments (usage: %.*s [N [K [W]]])\n",
                 static_cast<int>(program.size()), program.data(),
                 static_cast<int>(program.size()), program.data());
    std::exit(kExitUsage);
  }
  const CoreArgs args = core_args(argc > 3 ? 3 : argc, argv);
  chosen = argc > 3 ? static_cast<unsigned>(whole_number(
                          program, argv[3], 0, args.workers, "W", "[N [K [W]]]"))
                    : 0;
  return args;
}

int report_sum(std::uint64_t sum, std::uint64_t n) {
  const std::uint64_t expected = closed_form(n);
  std::printf("sum = %llu (expected %llu%s)\n", static_cast<unsigned long long>(sum),
              static_cast<unsigned long long>(expected),
              sum == expected ? "" : ": wrong");
  return sum == expected ? kExitOk : kExitFailed;
}

std::string describe(Chunk chunk) {
  if (chunk.empty()) return "nothing";
  return std::to_string(chunk.first) + ".." + std::to_string(chunk.last - 1);
}

}  // namespace ptut
