// The trap beside the simd variant: the plain loop a benchmark of "a sum" would
// time. An optimising compiler may replace it by n(n + 1)/2 and time nothing at
// all; show_folding compiles it with clang and with GCC and shows what each made.
#include <cstdint>

std::uint64_t plain_sum(std::uint64_t n) {
  std::uint64_t sum = 0;
  for (std::uint64_t i = 1; i <= n; ++i) sum += i;
  return sum;
}
