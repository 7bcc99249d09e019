// Chapter 2's approach alone: the parent maps memory that its children will share,
// fork()s K workers, and waits for each with waitpid(). Each worker sums its chunk
// of 1..N privately and writes the result once, into its own slot.
//
//   build/bin/ch02_core [N [K]]        (defaults: N = 20, K = 2)
#include <sys/wait.h>
#include <unistd.h>

#include <boost/interprocess/anonymous_shared_memory.hpp>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);

  // MAP_SHARED | MAP_ANONYMOUS: no name to clean up; the children inherit it
  // through fork, and it is gone with the last process that maps it.
  boost::interprocess::mapped_region shared =
      boost::interprocess::anonymous_shared_memory(workers * sizeof(std::uint64_t));
  auto* slots = static_cast<std::uint64_t*>(shared.get_address());

  std::vector<pid_t> children;
  for (unsigned w = 0; w < workers; ++w) {
    std::fflush(stdout);  // or each child inherits, and prints again, what is buffered
    const pid_t pid = fork();
    if (pid < 0) {
      std::perror("fork");
      break;  // reap the workers already started, below
    }
    if (pid == 0) {  // the child: a copy of this process, sharing only `shared`
      slots[w] = ptut::sum_range(chunks[w], 0);
      std::printf("worker %u (pid %d): %s, partial sum %" PRIu64 "\n", w + 1, getpid(),
                  ptut::describe(chunks[w]).c_str(), slots[w]);
      std::fflush(stdout);
      _exit(0);  // never return: that would run the parent's code and destructors
    }
    children.push_back(pid);
  }

  // waitpid returns once the child has exited; everything it wrote is then
  // visible to the parent, so the slots need no atomics and no lock.
  std::uint64_t sum = 0;
  bool all_ok = children.size() == workers;
  for (std::size_t w = 0; w < children.size(); ++w) {
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(children[w], &status, 0);
    } while (reaped < 0 && errno == EINTR);  // a signal came first: wait again
    const bool ok =
        reaped == children[w] && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) std::fprintf(stderr, "worker %zu (pid %d) failed\n", w + 1, children[w]);
    all_ok = all_ok && ok;
    sum += slots[w];
  }
  if (!all_ok) return 1;
  return ptut::report_sum(sum, n);
}
