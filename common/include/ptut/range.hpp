/// \file
/// \brief The problem itself: the integers 1..N, their exact sum, and how to
/// split them into contiguous chunks, one per worker.
#pragma once

#include <cstdint>
#include <vector>

namespace ptut {

/// The largest N whose sum 1 + 2 + … + N still fits in `std::uint64_t`:
/// 6074000999 · 6074001000 / 2 ≤ 2⁶⁴ − 1 < 6074001000 · 6074001001 / 2.
/// Every chapter refuses a larger `--n` up front rather than print a wrapped number.
inline constexpr std::uint64_t kMaxN = 6'074'000'999;

/// A half-open run of integers [first, last), like Python's `range(first, last)`:
/// the article hands `range(1, 11)` and `range(11, 21)` to its two processes.
struct Chunk {
  std::uint64_t first = 1;  ///< the first integer in the chunk
  std::uint64_t last = 1;   ///< one past the last integer in the chunk

  /// How many integers the chunk holds.
  [[nodiscard]] constexpr std::uint64_t size() const noexcept { return last - first; }
  /// True when the chunk holds no integer (a worker with nothing to do).
  [[nodiscard]] constexpr bool empty() const noexcept { return first == last; }
  /// Chunks compare equal when they cover the same integers.
  friend constexpr bool operator==(const Chunk&, const Chunk&) = default;
};

/// Splits [1, n] into `workers` contiguous chunks, in order, whose sizes differ by
/// at most one (the first n mod workers chunks are one longer).
///
/// Any n from 0 to kMaxN and any workers ≥ 1 are allowed; when workers > n the
/// last chunks are empty, so every worker still gets a (possibly empty) chunk and
/// nobody is special.
/// \throws std::invalid_argument if workers is 0 or n > kMaxN.
[[nodiscard]] std::vector<Chunk> split_range(std::uint64_t n, unsigned workers);

/// A chunk size for a run that hands out many chunks (chapters 5 and 10): about
/// eight per worker, so that a worker that finishes early takes another while the
/// handing-out stays rare. At least 1.
[[nodiscard]] constexpr std::uint64_t default_chunk(std::uint64_t n,
                                                    unsigned workers) noexcept {
  const std::uint64_t chunks = 8ULL * workers;
  const std::uint64_t size = (n + chunks - 1) / chunks;
  return size == 0 ? 1 : size;
}

// [closed_form]
/// The exact sum of the integers in a chunk, by Gauss's formula, without
/// intermediate overflow. Requires the result to fit in 64 bits.
[[nodiscard]] constexpr std::uint64_t closed_form(Chunk chunk) noexcept {
  const std::uint64_t count = chunk.size();
  const std::uint64_t ends = chunk.first + chunk.last - 1;  // first + (last - 1)
  // One of count and ends is even (they differ by an odd 2·first − 1): halve that
  // one first, so the product is the result itself and never overflows when the
  // result fits.
  return count % 2 == 0 ? (count / 2) * ends : count * (ends / 2);
}

/// The sum 1 + 2 + … + n = n(n + 1)/2, the oracle every chapter is checked
/// against. Requires n ≤ kMaxN.
[[nodiscard]] constexpr std::uint64_t closed_form(std::uint64_t n) noexcept {
  return closed_form(Chunk{1, n + 1});
}
// [closed_form]

/// 1..n cut into tasks, numbered from 1 in order: what a work queue (chapter 5)
/// and a pool (chapter 10) hand out. Each task is computed when asked for, not
/// listed: with one element per task there can be billions.
class TaskPlan {
 public:
  /// Tasks of `size` elements each (the last may be shorter); at least one task,
  /// an empty one for n = 0, so that every run hands out something.
  static TaskPlan chunks_of(std::uint64_t n, std::uint64_t size);
  /// One task per worker, sizes differing by at most one: the article's split
  /// (split_range), empty tasks included when workers > n.
  static TaskPlan one_per_worker(std::uint64_t n, unsigned workers);

  /// How many tasks.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// The largest task's size in elements.
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  /// Task `number` (1..count()).
  [[nodiscard]] Chunk task(std::uint64_t number) const;

 private:
  std::uint64_t n_ = 0;
  std::uint64_t size_ = 1;
  std::uint64_t count_ = 1;
  std::vector<Chunk> fixed_;  // one_per_worker's chunks
};

}  // namespace ptut
