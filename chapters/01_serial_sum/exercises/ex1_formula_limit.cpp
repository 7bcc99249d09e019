// Exercise 1, computed: why the formula variant stops at N = 6,074,000,999. The
// sum 1 + … + N is N(N + 1)/2, and it must fit in 64 bits; in 128-bit arithmetic
// nothing overflows, so the program can look for the largest N whose sum does.
// It then sums 1..N (N given, as every program here takes it) with the formula,
// in 128 bits, and checks the result against the chapter's closed form.
//
//   build/bin/ch01_ex1_formula_limit [N]      (default N = 20; K, if given, is unused)
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "ptut/core.hpp"
#include "ptut/range.hpp"

__extension__ typedef unsigned __int128 u128;  // a GCC and Clang extension

u128 sum_to(u128 n) {
  return n * (n + 1) / 2;
}

std::string decimal(u128 value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return digits;
}

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const u128 most = std::numeric_limits<std::uint64_t>::max();  // 2^64 − 1
  // The sum grows with N: find the last N whose sum is at most 2^64 − 1 by halving.
  u128 fits = 0, too_big = u128{1} << 33;  // 2^33 · (2^33 + 1)/2 > 2^64
  while (too_big - fits > 1) {
    const u128 middle = fits + (too_big - fits) / 2;
    (sum_to(middle) <= most ? fits : too_big) = middle;
  }
  std::printf("2^64 - 1          = %s\n", decimal(most).c_str());
  std::printf("sum to %s = %s (fits)\n", decimal(fits).c_str(),
              decimal(sum_to(fits)).c_str());
  std::printf("sum to %s = %s (does not)\n", decimal(fits + 1).c_str(),
              decimal(sum_to(fits + 1)).c_str());
  std::printf("the largest N is %s; the chapter's limit is %llu\n", decimal(fits).c_str(),
              static_cast<unsigned long long>(ptut::kMaxN));
  if (fits != ptut::kMaxN) return 1;
  return ptut::report_sum(static_cast<std::uint64_t>(sum_to(args.n)), args.n);
}
