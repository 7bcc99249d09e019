// Speed target 3, a solution: the numbers travel in batches. A worker fills a
// buffer of 512 numbers (4096 bytes: PIPE_BUF, which a pipe writes whole) and
// sends it with one write(); the parent reads as much as has arrived with one
// read() and adds every whole number in it. The bytes are the same; the system
// calls are 512 times fewer. A read() may end inside a number when a write was
// split, so the parent keeps the partial bytes for the next read.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <vector>

#include "ptut/contract.hpp"

// Writes all of `size` bytes, however many write() calls it takes.
bool write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = write(fd, bytes, size);
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::positional_args(argc, argv, {2'000'000, 2});
  const std::uint64_t n = args.n, k = args.workers;
  constexpr std::size_t kBatch = 512;  // numbers per write(): 4096 bytes
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
    if (pid == 0) {  // the worker: every number of its part, a batch per write()
      close(ends[0]);
      for (const int fd : read_ends) close(fd);
      std::array<std::uint64_t, kBatch> batch;
      std::size_t filled = 0;
      for (std::uint64_t i = w * n / k + 1; i <= (w + 1) * n / k; ++i) {
        batch[filled++] = i;
        if (filled == kBatch && !write_all(ends[1], batch.data(), sizeof batch)) _exit(1);
        if (filled == kBatch) filled = 0;
      }
      _exit(write_all(ends[1], batch.data(), filled * sizeof batch[0]) ? 0 : 1);
    }
    close(ends[1]);
    read_ends.push_back(ends[0]);
    children.push_back(pid);
  }
  std::uint64_t total = 0;
  for (const int fd : read_ends) {  // whatever has arrived, until end-of-file
    std::array<char, 64 * 1024> buffer;
    std::size_t kept = 0;  // bytes of a number split between two reads
    for (ssize_t got; (got = read(fd, buffer.data() + kept, buffer.size() - kept)) > 0;) {
      const std::size_t have = kept + static_cast<std::size_t>(got);
      const std::size_t whole = have / sizeof(std::uint64_t);
      for (std::size_t j = 0; j < whole; ++j) {
        std::uint64_t number = 0;
        std::memcpy(&number, buffer.data() + j * sizeof number, sizeof number);
        total += number;
      }
      kept = have - whole * sizeof(std::uint64_t);
      std::memmove(buffer.data(), buffer.data() + whole * sizeof(std::uint64_t), kept);
    }
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
