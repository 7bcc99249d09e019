// Exercise 8's solution: chapter 5's work queue, with MPI. Rank 0 is the master:
// it hands out chunks to whichever worker asks, and a worker's request carries
// its last result. The others ask, sum, and ask again, until the master answers
// with an empty chunk. With one rank there is nobody to ask: rank 0 sums alone.
//
//   chapters/08_mpi/run --core [N [K]] with CH08_PROGRAM=build/bin/ch08_ex8_master_worker
#include <mpi.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ptut/core.hpp"
#include "ptut/range.hpp"
#include "ptut/work.hpp"

constexpr int kRequest = 1, kWork = 2;  // message tags

int main(int argc, char** argv) {
  const ptut::CoreArgs args = ptut::core_args(argc, argv);
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int workers = size - 1;

  if (rank != 0) {  // a worker: ask (with the last result), sum, ask again
    std::uint64_t result = 0, chunks_done = 0;
    for (;;) {
      MPI_Send(&result, 1, MPI_UINT64_T, 0, kRequest, MPI_COMM_WORLD);
      std::uint64_t range[2];  // [first, last): empty means "no more"
      MPI_Recv(range, 2, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (range[0] == range[1]) break;
      result = ptut::sum_range({range[0], range[1]}, 0);
      ++chunks_done;
    }
    std::printf("rank %d summed %" PRIu64 " %s\n", rank, chunks_done,
                chunks_done == 1 ? "chunk" : "chunks");
    MPI_Finalize();
    return 0;
  }

  // The master: 4 chunks per worker, so that a fast worker can take more. An
  // empty chunk (N below their number) would read as "no more": leave those out.
  std::vector<ptut::Chunk> chunks;
  for (const ptut::Chunk& chunk :
       ptut::split_range(args.n, 4 * static_cast<unsigned>(workers > 0 ? workers : 1)))
    if (!chunk.empty()) chunks.push_back(chunk);
  std::uint64_t sum = 0;
  if (workers == 0) {
    for (const ptut::Chunk& chunk : chunks) sum += ptut::sum_range(chunk, 0);
  } else {
    std::size_t next = 0;
    int stopped = 0;
    while (stopped < workers) {
      std::uint64_t result = 0;
      MPI_Status from;
      MPI_Recv(&result, 1, MPI_UINT64_T, MPI_ANY_SOURCE, kRequest, MPI_COMM_WORLD, &from);
      sum += result;                    // 0 on a worker's first request
      std::uint64_t range[2] = {0, 0};  // no more, unless a chunk is left
      if (next < chunks.size()) {
        range[0] = chunks[next].first;
        range[1] = chunks[next].last;
        ++next;
      } else {
        ++stopped;
      }
      MPI_Send(range, 2, MPI_UINT64_T, from.MPI_SOURCE, kWork, MPI_COMM_WORLD);
    }
  }
  const int status = ptut::report_sum(sum, args.n);
  MPI_Finalize();
  return status;
}
