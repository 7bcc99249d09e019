// Exercise 6's solution: a thread gives the lock up while it waits for I/O, as
// CPython's C code does around a blocking call (Py_BEGIN_ALLOW_THREADS ...
// Py_END_ALLOW_THREADS). An RAII guard releases the lock when it is made and
// takes it back when it goes, on every way out. Each thread here sums its chunk
// in pieces, and after each piece "writes it out": a 1 ms sleep with the lock
// released. The K threads' waits overlap, so the run takes about as long as one
// thread's, however many threads there are.
//
//   build/bin/ch06_ex6_release_for_io [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <thread>
#include <vector>

#include "gil.hpp"
#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

// The lock released for as long as this object lives.
class Released {
 public:
  Released(ch06::Gil& gil, unsigned who) : gil_(gil), who_(who) { gil_.drop(who_); }
  ~Released() { gil_.take(who_); }
  Released(const Released&) = delete;
  Released& operator=(const Released&) = delete;

 private:
  ch06::Gil& gil_;
  const unsigned who_;
};

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  ch06::Gil gil(std::chrono::milliseconds(5));
  std::atomic<std::uint64_t> total{0};
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&gil, &total, &chunks, w] {
        constexpr std::uint64_t kPiece = 1'000'000;
        gil.take(w);
        std::uint64_t partial = 0;
        for (std::uint64_t first = chunks[w].first; first < chunks[w].last;
             first += kPiece) {
          partial +=
              ptut::sum_range({first, std::min(chunks[w].last, first + kPiece)}, 0);
          const Released io(gil, w);  // others run "Python" while this one waits
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        total.fetch_add(partial, std::memory_order_relaxed);
        gil.drop(w);
      });
    }
  }
  const std::chrono::duration<double, std::milli> took =
      std::chrono::steady_clock::now() - start;
  std::printf(
      "K = %u, pieces of 10^6 elements with 1 ms of I/O after each: %.1f ms, "
      "%" PRIu64 " hand-offs of the lock\n",
      workers, took.count(), gil.handoffs());
  return ptut::report_sum(total.load(), n);
}
