// Exercise 4's solution: the core without the reduction clause. The range 1..N is
// cut into kSlots slots; the teams share out the slots (`distribute`), a team's
// threads sum one slot's range (a reduction among that team's threads only), and
// the slot's total goes into its own element of an array that comes back to the
// host, which adds them: the second pass of `--combine pass`. No two teams write
// the same element, so nothing races and no atomic is needed.
//
//   build/bin/ch11_ex4_team_partials [N [K]]   (defaults: N = 20, K = 2; K is
//                                               ignored, as in the core)
#include <omp.h>

#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const std::uint64_t n = args.n;
  constexpr int kSlots = 256;
  // The slots' ranges are made on the host, as every chapter splits 1..N, and
  // copied to the card; each slot's total comes back in its own element.
  const std::vector<ptut::Chunk> slots = ptut::split_range(n, kSlots);
  const ptut::Chunk* slot = slots.data();  // map() takes a pointer and a length
  std::vector<std::uint64_t> totals(kSlots, 0);
  std::uint64_t* slot_total = totals.data();
  int on_host = 1;

#pragma omp target teams distribute map(to                                              \
                                        : slot [0:kSlots]) map(from                     \
                                                               : slot_total [0:kSlots]) \
    map(tofrom                                                                          \
        : on_host)
  for (int s = 0; s < kSlots; ++s) {
    std::uint64_t mine = 0;
#pragma omp parallel for reduction(+ : mine)
    for (std::uint64_t i = slot[s].first; i < slot[s].last; ++i) mine += i;
    slot_total[s] = mine;
    if (s == 0) on_host = omp_is_initial_device();
  }

  // The second pass: kSlots additions on the host.
  const std::uint64_t sum =
      std::accumulate(totals.begin(), totals.end(), std::uint64_t{0});
  std::printf("%d slots summed on %s; their totals added on the host\n", kSlots,
              on_host ? "the host" : "the GPU");
  return ptut::report_sum(sum, n);
}
