// Chapter 11's approach alone: the sum of 1..N on the GPU with one OpenMP pragma.
// Chapter 9's loop ran on the CPU's threads; `target` sends it to the GPU. GCC builds
// the loop twice, for the CPU and (where Debian's gcc-12-offload-nvptx is installed)
// for NVIDIA's GPUs; at run time OpenMP copies `sum` to the card, runs the loop on
// thousands of GPU threads in `teams` (blocks), adds their private sums there, and
// copies `sum` back. With no GPU the same loop runs on the host.
//   g++ -std=c++20 -O2 -fopenmp -foffload-options=-misa=sm_80 -no-pie core.cpp -o core
//   ./core 2000000
#include <omp.h>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// The problem, the same in every core: `./core [N [K]]` sums 1..N with K workers.
std::uint64_t argument(const char* text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;  // from_chars: digits only, no sign, no space, no overflow
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
  if (error == std::errc{} && *end == '\0' && value >= low && value <= high) return value;
  std::fprintf(stderr, "%s: not '%s'; usage: [N [K]], N 0 to 6074000999, K 1 to 256\n",
               program_invocation_short_name, text);
  std::exit(2);
}
int report_sum(std::uint64_t sum, std::uint64_t n) {  // N(N + 1)/2, with no overflow
  const std::uint64_t expected = n % 2 == 0 ? n / 2 * (n + 1) : (n + 1) / 2 * n;
  std::printf("sum = %" PRIu64 " (expected %" PRIu64 "%s)\n", sum, expected,
              sum == expected ? "" : ": wrong");
  return sum == expected ? 0 : 1;  // the exit status
}

int main(int argc, char** argv) {
  if (argc > 3) argument(argv[3], 1, 0);  // a third argument: refused, with the usage
  const std::uint64_t n = argc > 1 ? argument(argv[1], 0, 6074000999) : 20;
  const auto workers = static_cast<unsigned>(argc > 2 ? argument(argv[2], 1, 256) : 2);
  static_cast<void>(workers);  // K is not used: the GPU picks its teams and threads
  std::uint64_t sum = 0;
  int on_host = 1, teams = 0;
  // map(tofrom: ...): copy these to the device before the loop and back after it.
#pragma omp target teams distribute parallel for reduction(+ : sum) \
    map(tofrom : sum, on_host, teams)
  for (std::uint64_t i = 1; i <= n; ++i) {
    sum += i;  // each GPU thread adds into its own private copy: no race
    if (i == 1) {
      on_host = omp_is_initial_device();
      teams = omp_get_num_teams();
    }
  }
  std::printf("ran on %s; %d teams; %d offload device(s) found\n",
              on_host ? "the host" : "the GPU", teams, omp_get_num_devices());
  return report_sum(sum, n);
}
