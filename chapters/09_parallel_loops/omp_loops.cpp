// Chapter 9's OpenMP loops. Each is the serial loop of chapter 1 with a pragma
// above it; what the pragma asks for is in its clauses.
#include <omp.h>

#include <atomic>
#include <string>

#include "parallel_loops.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch09 {
namespace {

// --trace: a span around one thread's share of the loop, on a track named by the
// thread's number in the team (the caller is thread 0). Made once per thread, in
// the parallel region and outside the loop: no element is ever traced, and a run
// without --trace pays one test of a flag per thread.
class ShareOfTheLoop {
 public:
  ShareOfTheLoop() : traced_(ptut::trace::on) {
    if (!traced_) return;
    const int thread = omp_get_thread_num();
    ptut::trace::name_thread("thread " + std::to_string(thread));
    ptut::trace::begin("share of the loop",
                       {{"thread", static_cast<std::uint64_t>(thread)}});
  }
  ~ShareOfTheLoop() {
    if (traced_) ptut::trace::end();
  }
  ShareOfTheLoop(const ShareOfTheLoop&) = delete;
  ShareOfTheLoop& operator=(const ShareOfTheLoop&) = delete;

 private:
  bool traced_;
};

}  // namespace

// [omp_for]
// A team of load.threads threads; schedule(static) cuts 1..n into one contiguous
// block per thread (chapter 3's split); reduction(+ : sum) gives each thread a
// private sum starting at 0 and adds the private sums into sum when the team
// ends (chapter 3's partials, written by OpenMP). The one line `parallel for` is
// written as its two halves, `parallel` (the team) and `for` (the split), so that
// --trace can time each thread's share: `nowait` lets a thread leave the loop when
// its block is done, and the region's end is the barrier where the team waits.
LoopResult omp_for(const Load& load) {
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel num_threads(load.threads) reduction(+ : sum)
  {
    const ShareOfTheLoop traced;
#pragma omp for schedule(static) nowait
    for (std::uint64_t i = 1; i <= load.n; ++i) {
      if (i == 1) team = static_cast<unsigned>(omp_get_num_threads());
      sum += ptut::element(i, rounds_at(i, load));
    }
  }
  return {sum, team};
}
// [omp_for]

// [omp_atomic]
// The article's mistake, made exact: one shared total, and every element's
// addition an atomic read-modify-write on it (chapter 3's atomic variant).
LoopResult omp_atomic(const Load& load) {
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel for num_threads(load.threads) schedule(static)
  for (std::uint64_t i = 1; i <= load.n; ++i) {
    if (i == 1) team = static_cast<unsigned>(omp_get_num_threads());
    const std::uint64_t value = ptut::element(i, rounds_at(i, load));
#pragma omp atomic
    sum += value;
  }
  return {sum, team};
}
// [omp_atomic]

// The same with a lock: one thread at a time in the block (chapter 3's mutex).
LoopResult omp_critical(const Load& load) {
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel for num_threads(load.threads) schedule(static)
  for (std::uint64_t i = 1; i <= load.n; ++i) {
    if (i == 1) team = static_cast<unsigned>(omp_get_num_threads());
    const std::uint64_t value = ptut::element(i, rounds_at(i, load));
#pragma omp critical
    sum += value;
  }
  return {sum, team};
}

// [omp_dynamic]
// schedule(dynamic, chunk): a thread that finishes its chunk takes the next one
// not yet taken (chapter 5's work queue, in one clause). In two halves as omp_for,
// for --trace: a thread's share ends when no chunk is left for it.
LoopResult omp_dynamic(const Load& load) {
  const std::uint64_t chunk = load.chunk == 0 ? kDefaultChunk : load.chunk;
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel num_threads(load.threads) reduction(+ : sum)
  {
    const ShareOfTheLoop traced;
#pragma omp for schedule(dynamic, chunk) nowait
    for (std::uint64_t i = 1; i <= load.n; ++i) {
      if (i == 1) team = static_cast<unsigned>(omp_get_num_threads());
      sum += ptut::element(i, rounds_at(i, load));
    }
  }
  return {sum, team};
}
// [omp_dynamic]

// [omp_racy]
// The reduction clause forgotten: sum is shared (variables declared outside a
// parallel region are), and the threads load, add and store it as the article's
// processes did. Atomic loads and stores keep the race one of logic, with
// defined behaviour: updates are lost, and nothing warns. A plain `sum += value`
// here would be undefined behaviour, and ThreadSanitizer would report it.
LoopResult omp_racy(const Load& load) {
  std::uint64_t sum = 0;
  unsigned team = 0;
#pragma omp parallel for num_threads(load.threads) schedule(static)
  for (std::uint64_t i = 1; i <= load.n; ++i) {
    if (i == 1) team = static_cast<unsigned>(omp_get_num_threads());
    const std::uint64_t value = ptut::element(i, rounds_at(i, load));
    const std::atomic_ref<std::uint64_t> shared(sum);
    shared.store(shared.load(std::memory_order_relaxed) + value,
                 std::memory_order_relaxed);
  }
  return {sum, team};
}
// [omp_racy]

}  // namespace ch09
