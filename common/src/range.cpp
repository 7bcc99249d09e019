#include "ptut/range.hpp"

#include <stdexcept>

namespace ptut {

std::vector<Chunk> split_range(std::uint64_t n, unsigned workers) {
  if (workers == 0)
    throw std::invalid_argument("split_range: workers must be at least 1");
  if (n > kMaxN)
    throw std::invalid_argument("split_range: the sum 1..n does not fit in 64 bits");
  const std::uint64_t base = n / workers;
  const std::uint64_t longer = n % workers;  // this many chunks get one extra integer
  std::vector<Chunk> chunks;
  chunks.reserve(workers);
  std::uint64_t first = 1;
  for (unsigned w = 0; w < workers; ++w) {
    const std::uint64_t size = base + (w < longer ? 1 : 0);
    chunks.push_back(Chunk{first, first + size});
    first += size;
  }
  return chunks;
}

}  // namespace ptut
