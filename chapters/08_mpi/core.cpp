// Chapter 8's approach alone: MPI. mpirun starts K copies of this program, the ranks,
// on one machine or several; each sums its own chunk of 1..N, and MPI_Reduce adds the
// K partial sums on rank 0. The ranks share no memory: what travels is a message.
//   mpicxx -std=c++20 -O2 core.cpp -o core && mpirun -n 2 ./core 2000000 2
#include <mpi.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

// The problem, the same in every core: `./core [N [K]]` sums 1..N with K workers.
std::uint64_t argument(const char* text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;  // from_chars: digits only, no sign, no space, no overflow
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
  if (error == std::errc{} && *end == '\0' && value >= low && value <= high) return value;
  std::fprintf(stderr, "%s: not '%s'; usage: [N [K]], N 0 to 6074000999, K 1 to 256\n",
               program_invocation_short_name, text);
  std::exit(2);
}
struct Chunk {  // part c of 1..N cut in `count`: first..last - 1, sizes within 1
  Chunk(std::uint64_t n, unsigned count, unsigned c)
      : first(1 + n * c / count), last(1 + n * (c + 1) / count) {}
  std::uint64_t first, last;
};
std::string describe(Chunk c) {  // "1..10", or "nothing"
  return c.first == c.last ? "nothing"
                           : std::to_string(c.first) + ".." + std::to_string(c.last - 1);
}
int report_sum(std::uint64_t sum, std::uint64_t n) {  // N(N + 1)/2, with no overflow
  const std::uint64_t expected = n % 2 == 0 ? n / 2 * (n + 1) : (n + 1) / 2 * n;
  std::printf("sum = %" PRIu64 " (expected %" PRIu64 "%s)\n", sum, expected,
              sum == expected ? "" : ": wrong");
  return sum == expected ? 0 : 1;  // the exit status
}

int main(int argc, char** argv) {
  if (argc > 3) argument(argv[3], 1, 0);  // a third argument: refused, with the usage
  const std::uint64_t n = argc > 1 ? argument(argv[1], 0, 6074000999) : 20;
  const auto workers = static_cast<unsigned>(argc > 2 ? argument(argv[2], 1, 256) : 2);
  MPI_Init(&argc, &argv);  // after the arguments: bad input is exit status 2, not MPI's
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);  // who am I: 0 .. size − 1
  MPI_Comm_size(MPI_COMM_WORLD, &size);  // how many ranks mpirun started
  if (argc > 2 && static_cast<int>(workers) != size) {
    if (rank == 0)
      std::fprintf(stderr, "K = %u, but mpirun started %d ranks (mpirun -n K)\n", workers,
                   size);
    MPI_Finalize();
    return 2;
  }

  // Every rank computes the same split and takes its own chunk: nothing to send.
  const Chunk chunk(n, static_cast<unsigned>(size), static_cast<unsigned>(rank));
  std::uint64_t partial = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last; ++i) partial += i;
  char host[256] = "?";
  gethostname(host, sizeof host);
  std::printf("rank %d on %s (pid %d): %s, partial sum %" PRIu64 "\n", rank, host,
              getpid(), describe(chunk).c_str(), partial);
  std::fflush(stdout);  // mpirun forwards each rank's output as it comes

  // Every rank calls it; MPI adds the partial sums along the way and only rank 0
  // receives the total. (MPI_Allreduce would give it to every rank.)
  std::uint64_t total = 0;
  MPI_Reduce(&partial, &total, 1, MPI_UINT64_T, MPI_SUM, /*root=*/0, MPI_COMM_WORLD);

  const int status = rank == 0 ? report_sum(total, n) : 0;
  MPI_Finalize();
  return status;
}
