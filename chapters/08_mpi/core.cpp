// Chapter 8's approach alone: MPI. mpirun starts K copies of this program, the
// ranks, on one machine or several; each sums its own chunk of 1..N, and
// MPI_Reduce adds the K partial sums on rank 0. The ranks share no memory: what
// one needs from another travels as a message.
//
//   chapters/08_mpi/run --core [N [K]]
//   (which runs mpirun -n K build/bin/ch08_core N K; defaults: N = 20, K = 2)
#include <mpi.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  // before MPI starts: bad input is exit 2
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  MPI_Init(&argc, &argv);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);  // who am I: 0 .. size − 1
  MPI_Comm_size(MPI_COMM_WORLD, &size);  // how many ranks mpirun started
  if (argc > 2 && static_cast<int>(args.workers) != size) {
    if (rank == 0)
      std::fprintf(stderr, "K = %u, but mpirun started %d ranks (mpirun -n K)\n",
                   args.workers, size);
    MPI_Finalize();
    return 2;
  }

  // Every rank computes the same split and takes its own chunk: nothing to send.
  const ptut::Chunk chunk =
      ptut::split_range(args.n, static_cast<unsigned>(size))[static_cast<unsigned>(rank)];
  const std::uint64_t partial = ptut::sum_range(chunk, 0);
  char host[256] = "?";
  gethostname(host, sizeof host);
  std::printf("rank %d on %s (pid %d): %s, partial sum %" PRIu64 "\n", rank, host,
              getpid(), ptut::describe(chunk).c_str(), partial);
  std::fflush(stdout);  // mpirun forwards each rank's output as it comes

  // Every rank calls it; MPI adds the partial sums along the way and only rank 0
  // receives the total. (MPI_Allreduce would give it to every rank.)
  std::uint64_t total = 0;
  MPI_Reduce(&partial, &total, 1, MPI_UINT64_T, MPI_SUM, /*root=*/0, MPI_COMM_WORLD);

  const int status = rank == 0 ? ptut::report_sum(total, args.n) : 0;
  MPI_Finalize();
  return status;
}
