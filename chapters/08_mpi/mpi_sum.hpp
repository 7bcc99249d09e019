/// \file
/// \brief Chapter 8: MPI. K copies of one program (ranks), started by `mpirun`
/// on one machine or several; each sums its chunk of 1..N, and the partial sums
/// meet at rank 0 — through `MPI_Reduce`, or through one message each.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ptut/cli.hpp"
#include "ptut/report.hpp"

/// Chapter 8: MPI.
namespace ch08 {

/// Everything a run needs.
struct Config {
  ptut::Options options;  ///< the common command line; variant `reduce` or `send_recv`
  /// Each rank prints its steps and pauses 2 ms per element, so that the ranks'
  /// lines interleave as the article's processes do.
  bool show_steps = false;
  /// A rank that kills itself (SIGKILL) as it starts its chunk, to watch the job
  /// end; −1 for none.
  int kill_rank = -1;
};

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// The rank the launcher gave this process, read from its environment before
/// MPI starts (Open MPI's `OMPI_COMM_WORLD_RANK`, PMIx's `PMIX_RANK`, MPICH's
/// `PMI_RANK`); 0 for a program started without a launcher (a singleton).
[[nodiscard]] int launched_rank();

/// The name of the host this rank runs on (`MPI_Get_processor_name`).
[[nodiscard]] std::string host_name();

/// Runs the variant on every rank of `world` — call it on every rank. Returns
/// the result on rank 0 (the sum, rank 0's time from the moment every rank is
/// ready to the moment it has the total, and in `extra` each rank's host,
/// chunk, partial sum and time); std::nullopt on the other ranks.
[[nodiscard]] std::optional<ptut::RunResult> run(const Config& config, MPI_Comm world);

}  // namespace ch08
