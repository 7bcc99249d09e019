// Chapter 8: MPI. Every rank runs this whole program: parse, start MPI, sum
// its chunk, and rank 0 reports.
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "mpi_sum.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"

namespace {

/// MPI_Init on construction, MPI_Finalize on every way out of main: a rank that
/// returns without MPI_Finalize is reported by mpirun as a failure.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv) { MPI_Init(&argc, &argv); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  ~MpiSession() { MPI_Finalize(); }
};

/// Why `--trace FILE` could not be written, or "" if it can: checked before
/// mpirun starts (--check-only), so that a bad path is one line, not a job's failure.
std::string trace_file_problem(const std::string& path) {
  if (path.empty()) return "";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return std::generic_category().message(errno);
  ::close(fd);
  return "";
}

/// The trace of a job: rank 0 starts the file (a ptut::trace::Session, which
/// empties it), and the other ranks, started beside it by mpirun rather than by
/// it, open the same file to append once it has. Every rank reaches the same
/// verdict: false when rank 0 could not write the file.
bool start_trace(const std::string& path, int rank, MPI_Comm world,
                 std::optional<ptut::trace::Session>& session, std::string& problem) {
  if (path.empty()) return true;
  int written = 1;
  if (rank == 0) {
    try {
      session.emplace(path, "rank 0");
    } catch (const std::system_error& error) {
      problem = error.code().message();
      written = 0;
    }
  }
  // No rank gets rank 0's verdict before rank 0 has started the file: this is
  // the barrier between its Session and the others' append_to.
  MPI_Bcast(&written, 1, MPI_INT, /*root=*/0, world);
  if (written == 0) return false;
  if (rank != 0) {
    try {
      ptut::trace::append_to(path);
    } catch (const std::system_error& error) {
      // Across machines without a shared file system, the path may not exist on
      // this rank's host: the job still runs, this rank's track is missing.
      std::cerr << "ch08_mpi: rank " << rank << ": --trace: " << error.what()
                << "; this rank is left out of the trace\n";
    }
  }
  ptut::trace::name_process("rank " + std::to_string(rank));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // The command line is checked before MPI starts, on every rank alike; only
  // rank 0 speaks, so a mistake is one line rather than one per rank.
  const bool speaks = ch08::launched_rank() == 0;
  std::ostringstream silenced;
  std::ostream& out = speaks ? std::cout : silenced;
  std::ostream& err = speaks ? std::cerr : silenced;

  ptut::CommandLine cli(ch08::spec());
  cli.app()
      .get_option("--workers")
      ->description(
          "How many ranks share the range: must equal the number of ranks mpirun starts "
          "(-n); "
          "without it, that number");
  int kill_rank = -1;
  bool check_only = false;
  cli.app()
      .add_option("--kill-rank", kill_rank,
                  "RANK kills itself with SIGKILL as it starts its chunk: watch mpirun "
                  "end the job")
      ->transform(
          ptut::whole_number(0, ptut::kMaxWorkers - 1, "there are at most 256 ranks"));
  cli.app().add_flag("--check-only", check_only,
                     "Check the command line and exit, without starting MPI "
                     "(chapters/08_mpi/run does this "
                     "before it starts mpirun)");
  const std::optional<ptut::Options> parsed = cli.parse(argc, argv, out, err);
  if (!parsed) return cli.exit_status();
  ptut::Options options = *parsed;
  const bool workers_given = cli.app().count("--workers") > 0;
  const auto no_such_rank = [&](int ranks) {
    return "--kill-rank: there is no rank " + std::to_string(kill_rank) +
           " in a job of " + std::to_string(ranks) + " ranks; expected 0 to " +
           std::to_string(ranks - 1);
  };
  // The run scripts check with --workers as they will start mpirun -n.
  if ((workers_given || check_only) && kill_rank >= static_cast<int>(options.workers)) {
    err << cli.spec().target << ": " << no_such_rank(static_cast<int>(options.workers))
        << '\n';
    return ptut::kExitUsage;
  }
  if (check_only) {
    if (const std::string problem = trace_file_problem(options.trace); !problem.empty()) {
      err << cli.spec().target << ": --trace: cannot write '" << options.trace
          << "': " << problem << " (see --help)\n";
      return ptut::kExitUsage;
    }
    return ptut::kExitOk;
  }

  MpiSession mpi(argc, argv);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // Every rank reaches the same verdict on the same command line, so every rank
  // ends with status 2 and none waits for another.
  std::string usage_error;
  if (workers_given && options.workers != static_cast<unsigned>(size)) {
    usage_error = "--workers " + std::to_string(options.workers) + ": this job has " +
                  std::to_string(size) + (size == 1 ? " rank" : " ranks") +
                  "; start it with mpirun -n " + std::to_string(options.workers) +
                  " (or chapters/08_mpi/run --workers " +
                  std::to_string(options.workers) + ")";
  } else if (kill_rank >= size) {
    usage_error = no_such_rank(size);
  }
  if (!usage_error.empty()) {
    if (rank == 0) std::cerr << cli.spec().target << ": " << usage_error << '\n';
    return ptut::kExitUsage;
  }
  options.workers = static_cast<unsigned>(size);
  // --trace FILE: it lives until rank 0's report is done, and ends before MPI does.
  std::optional<ptut::trace::Session> trace;
  if (std::string problem;
      !start_trace(options.trace, rank, MPI_COMM_WORLD, trace, problem)) {
    if (rank == 0) {
      std::cerr << cli.spec().target << ": --trace: cannot write '" << options.trace
                << "': " << problem << " (see --help)\n";
    }
    return ptut::kExitUsage;
  }

  ch08::Config config;
  config.options = options;
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;
  config.kill_rank = kill_rank;
  if (rank == 0 && !options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << size
              << (size == 1 ? " rank" : " ranks") << '\n'
              << std::flush;  // the ranks' steps bypass std::cout
  }
  const std::optional<ch08::MpiFacts> result = ch08::run(config, MPI_COMM_WORLD);
  // Rank 0 finishes the trace as it ends: once every rank is past this barrier,
  // every rank's last line is in the file. (The same test on every rank: a
  // collective that some ranks skip would hang the others.)
  if (!options.trace.empty()) MPI_Barrier(MPI_COMM_WORLD);
  if (!result) return ptut::kExitOk;  // not rank 0: rank 0 reports
  if (!options.json && size <= 8) {
    for (const ch08::RankReport& r : result->ranks) {
      std::cout << "  rank " << r.rank << " on " << r.host << ": ";
      if (r.first == r.last) {
        std::cout << "nothing to sum\n";
        continue;
      }
      std::cout << r.first << ".." << r.last - 1 << ", partial sum " << r.partial
                << " in " << ptut::format_seconds(r.seconds) << '\n';
    }
  }
  return ptut::report(cli, options, *result, std::cout, std::cerr);
}
