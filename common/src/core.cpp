#include "ptut/core.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace ptut {

namespace {

std::string core_name = "core";

// A core has no try/catch of its own: it is the approach alone. An exception
// nobody catches (std::thread's std::system_error when the system refuses a
// thread, std::bad_alloc) would end it through std::terminate: "terminate called
// after throwing…" and SIGABRT. Installed by core_args(), this handler says what
// was thrown in one line and ends the process with status 1 at once. Its threads
// end with it: std::_Exit runs no destructor, so none waits for a thread that
// will never finish (a Boost.Asio pool whose constructor failed would).
[[noreturn]] void end_on_uncaught_exception() {
  if (const std::exception_ptr thrown = std::current_exception()) {
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& uncaught) {
      std::fprintf(stderr, "%s: %s\n", core_name.c_str(), uncaught.what());
    } catch (...) {
      std::fprintf(stderr, "%s: an exception that is not a std::exception\n",
                   core_name.c_str());
    }
    std::_Exit(kExitFailed);
  }
  std::abort();  // std::terminate without an exception: a bug; keep its core dump
}

}  // namespace

CoreArgs core_args(int argc, char** argv) {
  core_name = program_name(argc > 0 ? argv[0] : nullptr);
  std::set_terminate(end_on_uncaught_exception);
  return positional_args(argc, argv);
}

CoreArgs core_args_with_worker(int argc, char** argv, unsigned& chosen) {
  const std::string_view program = program_name(argc > 0 ? argv[0] : nullptr);
  if (argc > 4) refuse_extra_arguments(program, "three", "[N [K [W]]]");
  const CoreArgs args = core_args(argc > 3 ? 3 : argc, argv);
  chosen = argc > 3 ? static_cast<unsigned>(positional_number(
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
