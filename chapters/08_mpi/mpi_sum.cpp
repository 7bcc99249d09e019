#include "mpi_sum.hpp"

#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>
#include <vector>

#include "ptut/range.hpp"
#include "ptut/report.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch08 {

namespace {

/// The tag on a partial sum sent to rank 0: a receive names the tag it expects,
/// so other messages between the same ranks could never be mistaken for one.
constexpr int kPartialSumTag = 1;

/// One line on stdout in one write(2), so that lines from ranks never mix.
void print_line(const std::string& line) {
  ptut::write_line(STDOUT_FILENO, line + "\n");
}

/// This rank's partial sum, one element at a time with a pause, printing each step.
std::uint64_t sum_showing_steps(ptut::Chunk chunk, unsigned work,
                                const std::string& who) {
  std::uint64_t partial = 0;
  for (std::uint64_t i = chunk.first; i < chunk.last; ++i) {
    partial += ptut::element(i, work);
    ptut::print_step(who, i, "my partial sum", partial);
    std::this_thread::sleep_for(ptut::kStepPause);
  }
  return partial;
}

// [reduce]
/// Every rank hands its partial sum to MPI_Reduce; rank 0 gets the total. How
/// the numbers travel (a tree of ranks, each adding what its children send) is
/// the library's business.
std::uint64_t total_by_reduce(std::uint64_t partial, MPI_Comm world) {
  std::uint64_t total = 0;
  MPI_Reduce(&partial, &total, 1, MPI_UINT64_T, MPI_SUM, /*root=*/0, world);
  return total;  // meaningful on rank 0 only
}
// [reduce]

// [send_recv]
/// The same by hand: every other rank sends rank 0 one message; rank 0 receives
/// them in the order they arrive (MPI_ANY_SOURCE) and adds them up.
std::uint64_t total_by_send_recv(std::uint64_t partial, int rank, int size,
                                 bool show_steps, MPI_Comm world) {
  if (rank != 0) {
    const ptut::trace::Span sending("send", {{"to", 0}});
    MPI_Send(&partial, 1, MPI_UINT64_T, /*dest=*/0, kPartialSumTag, world);
    return 0;
  }
  std::uint64_t total = partial;
  for (int received = 1; received < size; ++received) {
    std::uint64_t other = 0;
    MPI_Status status;
    ptut::trace::begin("receive");  // who from is known only once it has come
    MPI_Recv(&other, 1, MPI_UINT64_T, MPI_ANY_SOURCE, kPartialSumTag, world, &status);
    ptut::trace::end({{"from", static_cast<std::uint64_t>(status.MPI_SOURCE)}});
    total += other;
    if (show_steps) {
      print_line("  rank 0: received " + std::to_string(other) + " from rank " +
                 std::to_string(status.MPI_SOURCE) + ", total so far " +
                 std::to_string(total));
    }
  }
  return total;
}
// [send_recv]

// The variants, chosen once by name: how the partial sums meet at rank 0.
struct Way {
  ptut::Variant variant;  // the name --variant takes, its line in --help
  std::uint64_t (*total)(std::uint64_t partial, int rank, int size, bool show_steps,
                         MPI_Comm world);
};
const Way kWays[] = {
    {{"reduce",
      "MPI_Reduce adds the partial sums on the way to rank 0 (a collective: every rank "
      "calls it)"},
     [](std::uint64_t partial, int, int, bool, MPI_Comm world) {
       const ptut::trace::Span reducing("reduce");
       return total_by_reduce(partial, world);
     }},
    {{"send_recv",
      "every other rank sends its partial sum to rank 0 in one message; rank 0 adds "
      "them"},
     total_by_send_recv},
};

/// This rank's partial sum, with the full program's hooks around it: `--kill-rank R`
/// makes rank R kill itself here, before it sums (its trace's chunk left open,
/// where it died), and a small N prints every step.
std::uint64_t my_partial_sum(const Config& config, int rank, ptut::Chunk chunk,
                             const std::string& who) {
  const ptut::trace::Span working("chunk", {{"chunk", static_cast<std::uint64_t>(rank)},
                                            {"first", chunk.first},
                                            {"last", chunk.last}});
  if (rank == config.kill_rank) std::raise(SIGKILL);
  if (config.show_steps) return sum_showing_steps(chunk, config.options.work, who);
  return ptut::sum_range(chunk, config.options.work);
}

/// What each rank reports to rank 0 once the sum is done.
struct RankFacts {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t partial = 0;
  double seconds = 0.0;
};

}  // namespace

ptut::ChapterSpec spec() {
  ptut::ChapterSpec s;
  s.target = "ch08_mpi";
  s.title = "Chapter 8: MPI";
  s.about =
      "Sums 1..N with MPI: start it with mpirun -n K (or chapters/08_mpi/run --workers "
      "K), and each of the K "
      "ranks sums its chunk; the partial sums meet at rank 0. --workers is the number of "
      "ranks, and must match "
      "mpirun's -n.";
  s.variants = ptut::variants_of(kWays);
  s.default_variant = "reduce";
  s.traceable = true;
  return s;
}

int launched_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
    if (const char* value = std::getenv(name); value != nullptr) return std::atoi(value);
  }
  return 0;
}

std::string host_name() {
  std::array<char, MPI_MAX_PROCESSOR_NAME> name{};
  int length = 0;
  MPI_Get_processor_name(name.data(), &length);
  return {name.data(), static_cast<std::size_t>(length)};
}

std::optional<MpiFacts> run(const Config& config, MPI_Comm world) {
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(world, &rank);
  MPI_Comm_size(world, &size);
  const ptut::Options& options = config.options;
  const ptut::Chunk chunk = ptut::split_range(
      options.n, static_cast<unsigned>(size))[static_cast<std::size_t>(rank)];
  const std::string my_host = host_name();
  const std::string who = "rank " + std::to_string(rank) + " on " + my_host;
  const Way& way = ptut::find_variant(kWays, options.variant);

  // [run]
  {
    const ptut::trace::Span waiting("barrier");
    MPI_Barrier(world);  // every rank is up: what follows times the sum, not the launch
  }
  const ptut::Stopwatch stopwatch;
  const std::uint64_t partial = my_partial_sum(config, rank, chunk, who);
  const double rank_seconds = stopwatch.seconds();
  const std::uint64_t total = way.total(partial, rank, size, config.show_steps, world);
  const double seconds = stopwatch.seconds();
  // [run]

  // Outside the timed part: each rank's facts and host, for the report.
  ptut::trace::Span gathering("gather");
  const RankFacts mine{chunk.first, chunk.last, partial, rank_seconds};
  std::vector<RankFacts> facts(rank == 0 ? static_cast<std::size_t>(size) : 0);
  MPI_Gather(&mine, sizeof mine, MPI_BYTE, facts.data(), sizeof mine, MPI_BYTE, 0, world);
  std::array<char, MPI_MAX_PROCESSOR_NAME> host{};
  my_host.copy(host.data(), host.size() - 1);
  std::vector<char> hosts(rank == 0 ? host.size() * static_cast<std::size_t>(size) : 0);
  MPI_Gather(host.data(), static_cast<int>(host.size()), MPI_CHAR, hosts.data(),
             static_cast<int>(host.size()), MPI_CHAR, 0, world);
  gathering.close();
  if (rank != 0) return std::nullopt;

  MpiFacts result;
  result.sum = total;
  result.seconds = seconds;
  for (int r = 0; r < size; ++r) {
    const RankFacts& f = facts[static_cast<std::size_t>(r)];
    result.ranks.push_back(
        {.rank = r,
         .host = std::string(hosts.data() + host.size() * static_cast<std::size_t>(r)),
         .first = f.first,
         .last = f.last,
         .partial = f.partial,
         .seconds = f.seconds});
  }
  return result;
}

void to_json(nlohmann::json& json, const MpiFacts& facts) {
  nlohmann::json ranks = nlohmann::json::array();
  for (const RankReport& r : facts.ranks) {
    ranks.push_back({{"rank", r.rank},
                     {"host", r.host},
                     {"first", r.first},
                     {"last", r.last},
                     {"partial", std::to_string(r.partial)},
                     {"seconds", r.seconds}});
  }
  json = {{"ranks", ranks}};
}

}  // namespace ch08
