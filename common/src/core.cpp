#include "ptut/core.hpp"

#include <cstdio>
#include <string_view>

namespace ptut {

CoreArgs core_args(int argc, char** argv) {
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
