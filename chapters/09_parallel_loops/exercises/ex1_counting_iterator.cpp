// Exercise 1's solution: std::execution::par over 1..N with an iterator of your
// own, no Boost. What the parallel algorithms need is C++17's random-access
// iterator: the category tag says so, the operations a split needs (it + k, b - a,
// it[k]) are there, and *it is a reference, to the iterator's own counter, as C++17
// asks of a forward iterator (std::views::iota's *it is a value, so to C++17 it is
// an input iterator). The run's CPU time against its wall time shows the threads.
//
//   build/bin/ch09_ex1_counting_iterator [N [K]]        (defaults: N = 20, K = 2)
#include <oneapi/tbb/global_control.h>

#include <cstdint>
#include <cstdio>
#include <execution>
#include <functional>
#include <iterator>
#include <numeric>

#include "ptut/core.hpp"
#include "ptut/timing.hpp"
#include "ptut/work.hpp"

struct Counting {
  using iterator_category = std::random_access_iterator_tag;
  using value_type = std::uint64_t;
  using difference_type = std::int64_t;
  using pointer = void;
  using reference = const std::uint64_t&;  // to the counter this iterator holds

  std::uint64_t i = 0;

  const std::uint64_t& operator*() const { return i; }
  std::uint64_t operator[](difference_type k) const { return i + k; }
  Counting& operator++() { return ++i, *this; }
  Counting operator++(int) { return {i++}; }
  Counting& operator--() { return --i, *this; }
  Counting operator--(int) { return {i--}; }
  Counting& operator+=(difference_type k) { return i += k, *this; }
  Counting& operator-=(difference_type k) { return i -= k, *this; }
  friend Counting operator+(Counting a, difference_type k) { return a += k; }
  friend Counting operator+(difference_type k, Counting a) { return a += k; }
  friend Counting operator-(Counting a, difference_type k) { return a -= k; }
  friend difference_type operator-(Counting a, Counting b) {
    return static_cast<difference_type>(a.i - b.i);
  }
  friend auto operator<=>(Counting, Counting) = default;
};

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    args.workers);
  const double cpu_before = ptut::process_cpu_seconds();
  const ptut::Stopwatch stopwatch;
  const std::uint64_t sum = std::transform_reduce(
      std::execution::par, Counting{1}, Counting{args.n + 1}, std::uint64_t{0},
      std::plus<>(), [](std::uint64_t i) { return ptut::element(i, 16); });
  const double wall = stopwatch.seconds();
  std::printf("at most %u threads; CPU time / wall time: %.2f\n", args.workers,
              wall > 0 ? (ptut::process_cpu_seconds() - cpu_before) / wall : 0.0);
  return ptut::report_sum(sum, args.n);
}
