#include "ptut/work.hpp"

namespace ptut {

// [sum_range]
std::uint64_t sum_range(Chunk chunk, unsigned work) noexcept {
  std::uint64_t sum = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last; ++i) sum += element(i, work);
  return sum;
}
// [sum_range]

}  // namespace ptut
