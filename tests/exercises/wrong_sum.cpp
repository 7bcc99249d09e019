// A solution that is wrong on purpose, for the grader's own test: it sums 1..N
// but forgets the last element. scripts/check-exercise must say FAIL.
#include <cstdint>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::stoull(argv[1]) : 20;
  std::uint64_t sum = 0;
  for (std::uint64_t i = 1; i < n; ++i) sum += i;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(sum),
              static_cast<unsigned long long>(n * (n + 1) / 2));
  return 0;
}
