// Exercise 6's solution: the core without Boost. What anonymous_shared_memory does
// is one system call: mmap with MAP_SHARED | MAP_ANONYMOUS, memory with no name
// that fork() shares instead of copying. munmap gives it back (and the kernel does
// when the last process that maps it ends).
//
//   build/bin/ch02_ex6_raw_mmap [N [K]]        (defaults: N = 20, K = 2)
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const auto [n, workers] = ptut::core_args(argc, argv);
  const std::vector<ptut::Chunk> chunks = ptut::split_range(n, workers);

  const std::size_t bytes = workers * sizeof(std::uint64_t);
  void* mapped =
      mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) {
    std::perror("mmap");
    return 1;
  }
  auto* slots = static_cast<std::uint64_t*>(mapped);  // zero-filled by the kernel

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
      slots[w] = ptut::sum_range(chunks[w], 0);
      std::printf("worker %u (pid %d): %s, partial sum %" PRIu64 "\n", w + 1, getpid(),
                  ptut::describe(chunks[w]).c_str(), slots[w]);
      std::fflush(stdout);
      _exit(0);
    }
    children.push_back(pid);
  }

  std::uint64_t sum = 0;
  bool all_ok = children.size() == workers;
  for (std::size_t w = 0; w < children.size(); ++w) {
    int status = 0;
    pid_t reaped = -1;
    do {
      reaped = waitpid(children[w], &status, 0);
    } while (reaped < 0 && errno == EINTR);
    all_ok =
        all_ok && reaped == children[w] && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    sum += slots[w];  // after waitpid: the child's write is visible
  }
  munmap(mapped, bytes);
  if (fork_error != 0) {
    std::fprintf(stderr, "fork, for worker %zu: %s\n", children.size() + 1,
                 std::strerror(fork_error));
    return 1;
  }
  if (!all_ok) {
    std::fprintf(stderr, "a worker failed\n");
    return 1;
  }
  return ptut::report_sum(sum, n);
}
