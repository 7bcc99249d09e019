/// \file
/// \brief Chapter 8: MPI. K copies of one program (ranks), started by `mpirun`
/// on one machine or several; each sums its chunk of 1..N, and the partial sums
/// meet at rank 0 — through `MPI_Reduce`, or through one message each.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

/// What one rank did, as rank 0 gathered it after the timed part.
struct RankReport {
  int rank = 0;               ///< its rank in the job
  std::string host;           ///< the host it ran on: across hosts, where each chunk went
  std::uint64_t first = 0;    ///< its chunk's first element
  std::uint64_t last = 0;     ///< one past its chunk's last element
  std::uint64_t partial = 0;  ///< its chunk's sum
  double seconds = 0.0;       ///< its time for its chunk alone
};

/// What a run reports beyond its sum and time: every rank's part, rank 0 first.
struct MpiFacts : ptut::RunResult {
  std::vector<RankReport> ranks;  ///< one per rank, in rank order
};

/// The chapter's key of `--json`: `ranks`, each with `rank`, `host`, `first`,
/// `last`, `partial` (a decimal string: exact in 64 bits, unlike a JSON number read
/// as a double) and `seconds`.
void to_json(nlohmann::json& json, const MpiFacts& facts);

/// Runs the variant on every rank of `world` — call it on every rank. Returns
/// the result on rank 0 (the sum, rank 0's time from the moment every rank is
/// ready to the moment it has the total, and each rank's host, chunk, partial sum
/// and time); std::nullopt on the other ranks.
[[nodiscard]] std::optional<MpiFacts> run(const Config& config, MPI_Comm world);

}  // namespace ch08
