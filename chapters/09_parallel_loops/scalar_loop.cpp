// The simd variant's loop with vectorisation switched off for this file
// (CMakeLists.txt: -fno-tree-vectorize), so that the two can be measured side by
// side: same kernel, same compiler, one element at a time.
#include "lane_kernel.hpp"
#include "parallel_loops.hpp"
#include "ptut/work.hpp"

namespace ch09 {

LoopResult scalar(const Load& load) {
  std::uint64_t zero = 0;
  ptut::opaque(zero);
  std::uint64_t sum = 0;
  for (Stretch s = stretch_at(1, load); s.first < s.last; s = stretch_at(s.last, load)) {
    if (s.rounds == 0) {  // as in simd_stretch: no loop inside the element
      for (std::uint64_t i = s.first; i < s.last; ++i) sum += lane_element(i, 0, zero);
    } else {
      for (std::uint64_t i = s.first; i < s.last; ++i) {
        sum += lane_element(i, s.rounds, zero);
      }
    }
  }
  return {sum, 1};
}

}  // namespace ch09
