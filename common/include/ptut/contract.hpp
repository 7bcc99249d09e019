/// \file
/// \brief The numbers of the command-line contract every program keeps (defaults,
/// limits, exit statuses), and the positional `[N [K]]` that the cores and the
/// exercises read.
///
/// Header-only and standard C++ only: a one-file exercise (a race hunt, a speed
/// target) builds with nothing of the project's but `-I common/include`, and still
/// answers bad input as every chapter does: one line, exit status 2.
#pragma once

#include <cstdint>
#include <cstdio>
#include <exception>
#include <cstdlib>
#include <string_view>

#include "ptut/range.hpp"

namespace ptut {

/// `--n` when it is not given: the article sums 1..20.
inline constexpr std::uint64_t kDefaultN = 20;
/// `--workers` when it is not given: the article starts two processes.
inline constexpr unsigned kDefaultWorkers = 2;
/// The most workers a chapter starts. Each worker is a process or a thread of its
/// own; far more of them than cores measures the scheduler, not the approach,
/// and thousands of forked processes can exhaust a small machine.
inline constexpr unsigned kMaxWorkers = 256;

/// Exit status of a successful run.
inline constexpr int kExitOk = 0;
/// Exit status of a run that failed: a worker died, an IPC call failed, or a
/// variant that claims to be exact produced a wrong sum.
inline constexpr int kExitFailed = 1;
/// Exit status of a usage error (bad flag or value).
inline constexpr int kExitUsage = 2;

/// What a core or an exercise is asked to do.
struct CoreArgs {
  std::uint64_t n = kDefaultN;         ///< sum 1..N
  unsigned workers = kDefaultWorkers;  ///< K workers
};

/// The program's name (argv[0] without its folder): the first word of an error line.
[[nodiscard]] inline std::string_view program_name(const char* argv0) {
  const std::string_view path(argv0 != nullptr ? argv0 : "program");
  return path.substr(path.find_last_of('/') + 1);
}

/// `text` as a whole decimal number from `low` to `high`. Anything else (a sign,
/// a letter, `0x10`, a number out of range) ends the program with one line on
/// stderr that names the value, the range and the usage, and exit status 2.
/// `std::stoull` would accept "12abc" and "-1" (as 2^64 - 1) and throw on "abc".
[[nodiscard]] inline std::uint64_t positional_number(std::string_view program,
                                                     const char* text, std::uint64_t low,
                                                     std::uint64_t high,
                                                     std::string_view name,
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

/// Ends the program for a command line with more than `most` arguments: one line
/// that shows the usage, exit status 2.
[[noreturn]] inline void refuse_extra_arguments(std::string_view program,
                                                std::string_view most,
                                                std::string_view usage) {
  std::fprintf(stderr, "%.*s: at most %.*s arguments (usage: %.*s %.*s)\n",
               static_cast<int>(program.size()), program.data(),
               static_cast<int>(most.size()), most.data(),
               static_cast<int>(program.size()), program.data(),
               static_cast<int>(usage.size()), usage.data());
  std::exit(kExitUsage);
}

/// Reads `program [N [K]]`: N from 0 to kMaxN, K from 1 to kMaxWorkers, each
/// `defaults`' value when not given. Bad input ends the program as
/// positional_number() says; a third argument too.
[[nodiscard]] inline CoreArgs positional_args(int argc, char** argv,
                                              CoreArgs defaults = {}) {
  const std::string_view program = program_name(argc > 0 ? argv[0] : nullptr);
  if (argc > 3) refuse_extra_arguments(program, "two", "[N [K]]");
  CoreArgs args = defaults;
  if (argc > 1) args.n = positional_number(program, argv[1], 0, kMaxN, "N");
  if (argc > 2) {
    args.workers =
        static_cast<unsigned>(positional_number(program, argv[2], 1, kMaxWorkers, "K"));
  }
  return args;
}

/// The handler of a one-file program's `main`, written as a function-try-block
/// (`int main(int argc, char** argv) try { … } catch (const std::exception& e) {
/// return ptut::failed(argv[0], e); }`): what ended the run as one line on stderr,
/// after the name of the program, and exit status 1. A thread the system refuses
/// (`ulimit -u`, a container's pids.max) throws std::system_error from its
/// constructor; caught here, it ends the run cleanly instead of in
/// std::terminate, and the std::jthreads already started have been joined on the
/// way out of their scope.
inline int failed(const char* argv0, const std::exception& failure) {
  const std::string_view program = program_name(argv0);
  std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(program.size()), program.data(),
               failure.what());
  return kExitFailed;
}

}  // namespace ptut
