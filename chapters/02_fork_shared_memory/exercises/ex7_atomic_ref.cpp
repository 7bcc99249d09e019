// Exercise 7's solution: the article's update made exact without a lock and
// without changing the shared word's type. The segment holds one plain 64-bit
// integer, which every worker adds each element to; std::atomic_ref (C++20) makes
// each addition one atomic read-modify-write (lock xadd on x86-64) on that word.
// Across processes this needs an atomic that is lock-free (a lock inside the
// library would be private to each process): the static_assert says so.
//
//   build/bin/ch02_ex7_atomic_ref [N [K]]        (defaults: N = 20, K = 2)
#include <sys/wait.h>
#include <unistd.h>

#include <boost/interprocess/anonymous_shared_memory.hpp>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);

  boost::interprocess::mapped_region shared =
      boost::interprocess::anonymous_shared_memory(sizeof(std::uint64_t));
  // mmap returns page-aligned memory: aligned enough for atomic_ref.
  auto* total = static_cast<std::uint64_t*>(shared.get_address());

  std::vector<pid_t> children;
  int fork_error = 0;
  for (unsigned w = 0; w < workers; ++w) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) {
      fork_error = errno;  // the workers started so far are still waited for
      break;
    }
    if (pid == 0) {
      const std::atomic_ref<std::uint64_t> shared_total(*total);
      for (std::uint64_t i = chunks[w].first; i < chunks[w].last; ++i)
        shared_total.fetch_add(i,
                               std::memory_order_relaxed);  // [first, last): the integers
      std::printf("worker %u (pid %d): %s added, one atomic addition each\n", w + 1,
                  getpid(), ptut::describe(chunks[w]).c_str());
      std::fflush(stdout);
      _exit(0);
    }
    children.push_back(pid);
  }

  bool all_ok = children.size() == workers;
  for (const pid_t child : children) {
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(child, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    all_ok = all_ok && reaped == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (fork_error != 0) {
    std::fprintf(stderr, "fork, for worker %zu: %s\n", children.size() + 1,
                 std::strerror(fork_error));
    return 1;
  }
  if (!all_ok) {
    std::fprintf(stderr, "a worker failed\n");
    return 1;
  }
  return ptut::report_sum(*total, n);  // every worker has been reaped: plain read
}
