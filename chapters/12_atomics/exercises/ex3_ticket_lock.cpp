// Exercise 3's solution: a ticket lock in place of the chapter's test-and-set lock
// (TasLock in locks.hpp), guarding the same plain total, one element at a time. A
// thread takes the next ticket with one fetch_add and waits until the lock serves
// that ticket; unlock serves the next one. Tickets are served in the order they
// were taken, so a waiting thread is overtaken by nobody: each acquisition records
// how many acquisitions were ahead of it (the tickets from the one being served
// up to its own, each a hand-over it waits through), and the longest such wait is
// at most K - 1. (A test-and-set lock bounds nothing: whoever's test-and-set comes
// first wins, and a thread can lose every time.)
//
//   build/bin/ch12_ex3_ticket_lock [N [K]]        (defaults: N = 20, K = 2)
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/machine.hpp"
#include "ptut/range.hpp"

class TicketLock {
 public:
  // Takes the lock; returns how many acquisitions were ahead of this one.
  std::uint64_t lock() {
    // acq_rel: every ticket-taker's earlier unlock happens-before this one's read of
    // serving_ below, so it cannot read an older value than they left. Then each
    // ticket from that value up to ours belongs to a different thread that has not
    // unlocked yet (a thread holds one ticket at a time): at most K - 1 of them.
    const std::uint64_t mine = next_.fetch_add(1, std::memory_order_acq_rel);
    const std::uint64_t ahead = mine - serving_.load(std::memory_order_relaxed);
    // acquire: pairs with the release in unlock(), so the holder before us hands
    // over the total along with the lock.
    for (unsigned spins = 1;; ++spins) {
      const std::uint64_t now = serving_.load(std::memory_order_acquire);
      if (now == mine) break;
      // On fewer cores than threads, the next in line may be waiting for a core:
      // a waiter further back gives its core up at once, the next after a while.
      if (mine - now > 1 || spins % 256 == 0) std::this_thread::yield();
    }
    return ahead;
  }
  void unlock() {
    // Only the holder writes serving_, so its read-then-store loses no update.
    serving_.store(serving_.load(std::memory_order_relaxed) + 1,
                   std::memory_order_release);
  }

 private:
  // Lines of their own: a thread taking a ticket then does not disturb the
  // waiters, which read only serving_.
  alignas(64) std::atomic<std::uint64_t> next_{0};
  alignas(64) std::atomic<std::uint64_t> serving_{0};
};

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  // The thread whose turn it is must be running: with more threads than cores, it
  // may be waiting for one, and every handoff waits for the scheduler.
  if (const unsigned cores = ptut::describe_machine().usable_cores; workers > cores) {
    std::fprintf(stderr,
                 "%s: %u threads on %u cores: a spinning ticket lock needs a core "
                 "per thread; K at most %u here\n",
                 std::string(ptut::program_name(argv[0])).c_str(), workers, cores, cores);
    return 2;
  }
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);
  TicketLock lock;
  std::uint64_t total = 0;                              // guarded by lock
  std::vector<std::uint64_t> longest_wait(workers, 0);  // slot w: thread w's own
  {
    std::vector<std::jthread> threads;
    for (unsigned w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        for (std::uint64_t i = chunks[w].first; i < chunks[w].last; ++i) {
          longest_wait[w] = std::max(longest_wait[w], lock.lock());
          total += i;
          lock.unlock();
        }
      });
    }
  }  // joined: the total and the waits are final
  const std::uint64_t longest =
      *std::max_element(longest_wait.begin(), longest_wait.end());
  std::printf(
      "longest wait: %llu acquisition%s ahead (a ticket lock serves in order: at most "
      "K - 1 = %u)\n",
      static_cast<unsigned long long>(longest), longest == 1 ? "" : "s", workers - 1);
  return ptut::report_sum(total, n);
}
