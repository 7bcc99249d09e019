#include "ptut/range.hpp"

#include <algorithm>
#include <stdexcept>

namespace ptut {

TaskPlan TaskPlan::chunks_of(std::uint64_t n, std::uint64_t size) {
  if (size == 0)
    throw std::invalid_argument("TaskPlan: a task needs at least one element");
  TaskPlan plan;
  plan.n_ = n;
  plan.size_ = std::min(size, std::max<std::uint64_t>(n, 1));
  plan.count_ = n == 0 ? 1 : (n - 1) / plan.size_ + 1;
  return plan;
}

TaskPlan TaskPlan::one_per_worker(std::uint64_t n, unsigned workers) {
  TaskPlan plan;
  plan.n_ = n;
  plan.fixed_ = split_range(n, workers);
  plan.count_ = workers;
  plan.size_ = plan.fixed_.front().size();
  return plan;
}

Chunk TaskPlan::task(std::uint64_t number) const {
  if (!fixed_.empty()) return fixed_[number - 1];
  const std::uint64_t first = 1 + (number - 1) * size_;
  return {std::min(first, n_ + 1), std::min(first + size_, n_ + 1)};
}

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
