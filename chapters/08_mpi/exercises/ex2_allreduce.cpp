// Exercise 2's solution: MPI_Allreduce instead of MPI_Reduce. Every rank gets the
// total, not only rank 0: the same tree of additions, followed by sending the
// result back down it (or an algorithm that does both at once). Every rank checks
// the total against the closed form; rank 0 prints the sum line.
//
//   chapters/08_mpi/run --core [N [K]] with CH08_PROGRAM=build/bin/ch08_ex2_allreduce
#include <mpi.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);  // before MPI: exit 2
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const ptut::Chunk chunk =
      ptut::split_range(args.n, static_cast<unsigned>(size))[static_cast<unsigned>(rank)];
  const std::uint64_t partial = ptut::sum_range(chunk, 0);

  std::uint64_t total = 0;
  MPI_Allreduce(&partial, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  const bool right = total == ptut::closed_form(args.n);
  std::printf("rank %d: %s, partial sum %" PRIu64 "; knows the total: %" PRIu64 " (%s)\n",
              rank, ptut::describe(chunk).c_str(), partial, total,
              right ? "right" : "WRONG");
  std::fflush(stdout);

  // Did every rank get it right? One more reduction answers: the minimum of 0/1.
  int mine = right ? 1 : 0, everyone = 0;
  MPI_Reduce(&mine, &everyone, 1, MPI_INT, MPI_MIN, 0, MPI_COMM_WORLD);
  int status = 0;
  if (rank == 0) status = everyone == 1 ? ptut::report_sum(total, args.n) : 1;
  MPI_Finalize();
  return status;
}
