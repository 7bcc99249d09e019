// Chapter 9: the table that names the loops, and the run that times one of them
// and reads the CPU time it used (all threads together) beside its wall time.
#include "parallel_loops.hpp"

#include <string>

#include "ptut/threads.hpp"
#include "ptut/timing.hpp"

namespace ch09 {
namespace {

// [variants]
enum class Team { openmp, onetbb, one_thread };  // who runs the loop
struct Loop {
  ptut::Variant variant;
  LoopResult (*run)(const Load& load);
  Team team = Team::openmp;
  bool takes_chunk = false;  // --chunk sizes its chunks
};
const Loop kLoops[] = {
    {{"omp_for", "#pragma omp parallel for reduction(+ : sum) schedule(static); exact"},
     omp_for},
    {{"omp_atomic", "one shared total, #pragma omp atomic per element; exact, slow"},
     omp_atomic},
    {{"omp_critical",
      "one shared total, #pragma omp critical per element; exact, slower"},
     omp_critical},
    {{"omp_dynamic", "schedule(dynamic, --chunk): threads take chunks as they finish"},
     omp_dynamic,
     Team::openmp,
     true},
    {{"omp_racy", "the reduction clause forgotten: one shared total; loses updates",
      false},
     omp_racy},
    {{"std_par", "std::transform_reduce(std::execution::par, ...) on oneTBB; exact"},
     std_par,
     Team::onetbb},
    {{"std_par_unseq", "the same with std::execution::par_unseq; exact"},
     std_par_unseq,
     Team::onetbb},
    {{"std_par_iota", "the same over std::views::iota: exact, silently on one thread"},
     std_par_iota,
     Team::onetbb},
    {{"tbb", "tbb::parallel_reduce over a blocked_range (work stealing); exact"},
     tbb_reduce,
     Team::onetbb},
    {{"simd", "one thread, #pragma omp simd reduction: vector lanes; exact"},
     simd,
     Team::one_thread},
    {{"omp_for_simd", "threads and vector lanes: #pragma omp for simd; exact"},
     omp_for_simd},
    {{"scalar", "simd's loop compiled without vectorisation, one thread; exact"},
     scalar,
     Team::one_thread},
};
// [variants]

}  // namespace

ptut::ChapterSpec spec() {
  return {
      .target = "ch09_parallel_loops",
      .title = "Chapter 9: parallel loops",
      .about =
          "Chapter 9: the sum of 1..N as one parallel loop: OpenMP pragmas, the "
          "C++17 parallel algorithms on oneTBB, oneTBB's parallel_reduce, and "
          "vector lanes (SIMD) within one thread.",
      .variants = ptut::variants_of(kLoops),
      .default_variant = "omp_for",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

bool one_thread(const std::string& variant) {
  return ptut::find_variant(kLoops, variant).team == Team::one_thread;
}

bool takes_chunk(const std::string& variant) {
  return ptut::find_variant(kLoops, variant).takes_chunk;
}

std::string missing_from_this_build(const std::string& variant) {
  return ptut::find_variant(kLoops, variant).run == std_par_iota ? iota_missing() : "";
}

void to_json(nlohmann::json& json, const LoopFacts& facts) {
  json = {
      {"team_is", facts.team_is},
      {"team", facts.team ? nlohmann::json(*facts.team) : nlohmann::json(nullptr)},
      {"skew", facts.skew},
      {"cpu_seconds", facts.cpu_seconds},
      {"cpu_per_wall", facts.cpu_per_wall},
  };
  if (facts.chunk) json["chunk"] = *facts.chunk;
}

LoopFacts run(const Config& config) {
  const ptut::Options& options = config.options;
  const Loop& loop = ptut::find_variant(kLoops, options.variant);
  const Load load{.n = options.n,
                  .work = options.work,
                  .skew = config.skew,
                  .threads = options.workers,
                  .chunk = config.chunk};
  // LLVM's OpenMP runtime (libomp, clang's) ends the process with abort() when the
  // system refuses a thread of its team; GCC's libgomp says so and exits 1. Asked
  // first, a refusal ends either build the same way: one line, exit 1.
  if (loop.team == Team::openmp) ptut::require_threads(options.workers, "OpenMP");
  const double cpu_before = ptut::process_cpu_seconds();
  const ptut::Stopwatch stopwatch;
  const LoopResult result = loop.run(load);
  LoopFacts run;
  run.seconds = stopwatch.seconds();
  run.sum = result.sum;
  const double cpu = ptut::process_cpu_seconds() - cpu_before;
  // The team is seen from inside: OpenMP's team from an iteration of the loop (a
  // loop over nothing has none to see it from); for oneTBB, the concurrency of the
  // arena the algorithm runs in, which is how many threads it may use, not how many
  // it did (std_par_iota used one: CPU time / wall time says so).
  run.team_is = loop.team == Team::one_thread ? "threads"
                : loop.team == Team::onetbb   ? "threads oneTBB's arena allows"
                                              : "OpenMP team seen from inside the loop";
  if (result.team != 0) run.team = result.team;
  run.skew = config.skew;
  if (loop.takes_chunk) run.chunk = config.chunk == 0 ? kDefaultChunk : config.chunk;
  run.cpu_seconds = cpu;
  run.cpu_per_wall = run.seconds > 0 ? cpu / run.seconds : 0.0;
  return run;
}

}  // namespace ch09
