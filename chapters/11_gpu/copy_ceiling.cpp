// Chapter 11: the card's own ceiling for a memory-bound kernel: how fast it copies
// device memory to device memory, counting bytes read and bytes written.
//
//   build/bin/ch11_copy_ceiling [GIB [REPEAT]]   (defaults: 2 GiB, 10 copies)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "cuda_sums.hpp"

int main(int argc, char** argv) {
  const char* const program = "ch11_copy_ceiling";
  unsigned long gib = 2, repeat = 10;
  try {
    if (argc > 1) gib = std::stoul(argv[1]);
    if (argc > 2) repeat = std::stoul(argv[2]);
    if (argc > 3 || gib < 1 || gib > 64 || repeat < 1 || repeat > 100) throw 0;
  } catch (...) {
    std::fprintf(stderr, "%s: usage: %s [GIB (1 to 64) [REPEAT (1 to 100)]]\n", program,
                 program);
    return 2;
  }
  if (const auto reason = ch11::no_device()) {
    std::fprintf(stderr, "%s: no CUDA device (%s)\n", program, reason->c_str());
    return 1;
  }
  try {
    std::vector<double> rates =
        ch11::copy_bandwidth(gib << 30, static_cast<unsigned>(repeat));
    std::sort(rates.begin(), rates.end());
    const nlohmann::json report = {{"bytes", gib << 30},
                                   {"bytes_per_second", rates},
                                   {"median_bytes_per_second", rates[rates.size() / 2]}};
    std::printf("%s\n", report.dump().c_str());
  } catch (const ch11::CudaError& failure) {
    std::fprintf(stderr, "%s: %s\n", program, failure.what());
    return 1;
  }
  return 0;
}
