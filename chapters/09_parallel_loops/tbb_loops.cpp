// Chapter 9's loops on oneTBB: the C++17 parallel algorithms (which GCC's
// libstdc++ runs on oneTBB) and oneTBB's own parallel_reduce underneath them.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/task_arena.h>

#include <boost/iterator/counting_iterator.hpp>
#include <execution>
#include <functional>
#include <numeric>
#include <ranges>
#include <stdexcept>
#include <string>

#include "parallel_loops.hpp"
#include "ptut/threads.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch09 {
namespace {

// Runs `loop` on exactly `threads` threads: global_control lets oneTBB start
// that many (its default is one per core), and an arena of that concurrency is
// where the algorithm's tasks run. The team is read from inside the arena.
template <class Loop>
LoopResult on_threads(unsigned threads, Loop loop) {
  ptut::require_threads(threads, "oneTBB");  // or it may end the process
  const tbb::global_control allowed(tbb::global_control::max_allowed_parallelism,
                                    threads);
  tbb::task_arena arena(static_cast<int>(threads));
  return arena.execute([&] {
    return LoopResult{loop(),
                      static_cast<unsigned>(tbb::this_task_arena::max_concurrency())};
  });
}

// [std_par]
// 1..n as a pair of iterators. boost::counting_iterator declares itself random
// access in C++17's terms, which libstdc++ needs before it runs an algorithm in
// parallel (see std_par_iota for what happens otherwise).
template <class Policy>
std::uint64_t transform_reduce_over(Policy policy, const Load& load) {
  const boost::counting_iterator<std::uint64_t> first(1), last(load.n + 1);
  return std::transform_reduce(
      policy, first, last, std::uint64_t{0}, std::plus<>(),
      [&load](std::uint64_t i) { return ptut::element(i, rounds_at(i, load)); });
}
// [std_par]

// --trace: a span per piece of the range that oneTBB hands a thread, on a track
// named by the thread's slot in the arena (the caller is thread 0). oneTBB's
// default partitioner makes a number of pieces that grows with the threads and
// their steals, not with N: the spans are per chunk, never per element.
class TracedPiece {
 public:
  explicit TracedPiece(const tbb::blocked_range<std::uint64_t>& piece)
      : traced_(ptut::trace::on) {
    if (!traced_) return;
    thread_local bool named = false;
    if (!named) {
      named = true;
      ptut::trace::name_thread(
          "thread " + std::to_string(tbb::this_task_arena::current_thread_index()));
    }
    ptut::trace::begin("chunk", {{"first", piece.begin()}, {"last", piece.end()}});
  }
  ~TracedPiece() {
    if (traced_) ptut::trace::end();
  }
  TracedPiece(const TracedPiece&) = delete;
  TracedPiece& operator=(const TracedPiece&) = delete;

 private:
  bool traced_;
};

}  // namespace

LoopResult std_par(const Load& load) {
  return on_threads(load.threads,
                    [&] { return transform_reduce_over(std::execution::par, load); });
}

// par_unseq also allows the library to interleave elements within one thread
// (vector lanes). ptut::element's opaque() keeps each element in a general
// register, so here it changes nothing: see simd for a kernel that can use lanes.
LoopResult std_par_unseq(const Load& load) {
  return on_threads(load.threads, [&] {
    return transform_reduce_over(std::execution::par_unseq, load);
  });
}

#if defined(__clang__) && __clang_major__ < 15
// clang 14 cannot compile libstdc++ 12's std::views::iota (its concepts need clang
// 15): the command line refuses the variant (missing_from_this_build), and a caller
// that skips that check is told the same.
std::string iota_missing() {
  return "not in this build: clang " + std::to_string(__clang_major__) +
         " cannot compile libstdc++'s std::views::iota (GCC or clang 15 can)";
}

LoopResult std_par_iota(const Load&) {
  throw std::runtime_error(iota_missing());
}
#else
std::string iota_missing() {
  return "";
}

// [std_par_iota]
// The trap: std::views::iota is C++20's own 1..n, and it compiles, runs and is
// exact, on one thread. Its iterator is random access only in C++20's terms; in
// C++17's, which the parallel algorithms check, it is an input iterator (its *it
// is a value, not a reference), and libstdc++ falls back to the serial loop
// without a word. The run's CPU time equals its wall time: nothing ran beside it.
LoopResult std_par_iota(const Load& load) {
  return on_threads(load.threads, [&] {
    const auto numbers = std::views::iota(std::uint64_t{1}, load.n + 1);
    return std::transform_reduce(
        std::execution::par, numbers.begin(), numbers.end(), std::uint64_t{0},
        std::plus<>(),
        [&load](std::uint64_t i) { return ptut::element(i, rounds_at(i, load)); });
  });
}
// [std_par_iota]
#endif

// [tbb]
// What std_par runs on: oneTBB cuts the range in halves until the pieces are
// small, each thread keeps a deque of pieces, and an idle thread steals from a
// busy one. The body adds a piece's sum (chapter 1's loop, sum_piece) to a running
// value; the join adds two running values.
LoopResult tbb_reduce(const Load& load) {
  return on_threads(load.threads, [&] {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(1, load.n + 1), std::uint64_t{0},
        [&load](const tbb::blocked_range<std::uint64_t>& piece, std::uint64_t sum) {
          const TracedPiece traced(piece);  // --trace only
          return sum + sum_piece({piece.begin(), piece.end()}, load);
        },
        std::plus<>());
  });
}
// [tbb]

}  // namespace ch09
