// Speed target 3: the price of a system call. K forked workers send the parent
// every number of their part of 1..N through a pipe each, and the parent adds
// them. One write() per number and one read() per number: each is a system call.
// Make it at least 10× faster with K = 2, keeping what travels: the parent must
// still receive every number and add it itself.
//
//   scripts/check-exercise speed_3 [your file]   (times yours against this, in turns)
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <csignal>
#include <vector>

#include "ptut/contract.hpp"

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {2'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  std::vector<int> read_ends;
  std::vector<pid_t> children;
  // The system said no (ulimit -u, too many open files): stop the workers started
  // so far, reap them, and say what ran out, for which worker.
  const auto give_up = [&children](const char* call) {
    const int error = errno;
    for (const pid_t child : children) kill(child, SIGKILL);
    for (const pid_t child : children) waitpid(child, nullptr, 0);
    std::fprintf(stderr, "%s, for worker %zu: %s\n", call, children.size() + 1,
                 std::strerror(error));
    return 1;
  };
  for (std::uint64_t w = 0; w < k; ++w) {
    int ends[2];
    if (pipe(ends) != 0) return give_up("pipe");
    const pid_t pid = fork();
    if (pid < 0) return give_up("fork");
    if (pid == 0) {  // the worker: every number of its part, one write() each
      close(ends[0]);
      for (const int fd : read_ends) close(fd);  // its older siblings' pipes
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i)
        if (write(ends[1], &i, sizeof i) != sizeof i) _exit(1);
      _exit(0);
    }
    close(ends[1]);
    read_ends.push_back(ends[0]);
    children.push_back(pid);
  }
  std::uint64_t total = 0;
  for (const int fd : read_ends) {  // one number per read(), until end-of-file
    std::uint64_t number = 0;
    while (read(fd, &number, sizeof number) == sizeof number) total += number;
    close(fd);
  }
  bool all_ok = true;
  for (const pid_t child : children) {
    int status = 0;
    all_ok = waitpid(child, &status, 0) == child && WIFEXITED(status) &&
             WEXITSTATUS(status) == 0 && all_ok;
  }
  const std::uint64_t expected = n * (n + 1) / 2;
  std::printf("sum = %llu (expected %llu)\n", static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(expected));
  return all_ok && total == expected ? 0 : 1;
}
