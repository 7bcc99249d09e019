#include "approaches.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fork_shared_memory.hpp"
#include "gil_contrast.hpp"
#include "message_queues.hpp"
#include "pipes.hpp"
#include "ptut/timing.hpp"
#include "serial_sum.hpp"
#include "threads_atomics.hpp"
#ifdef PTUT_CH09  // chapter 9 was built: OpenMP and oneTBB were found
#include "parallel_loops.hpp"
#endif
#ifdef PTUT_CH10  // chapter 10 was built: oneTBB was found
#include "tasks.hpp"
#endif
#ifdef PTUT_CH12  // chapter 12 was built (it always is; its CMakeLists says so)
#include "atomics.hpp"
#endif

namespace ch07 {
namespace {

ptut::Options options_for(const std::string& variant, std::uint64_t n, unsigned workers,
                          unsigned work) {
  ptut::Options options;
  options.n = n;
  options.workers = workers;
  options.variant = variant;
  options.work = work;
  return options;
}

/// An entry's description, without the way to run it.
Approach described(std::string chapter, const std::string& short_name,
                   const std::string& variant, std::string workers_are, Sharing sharing) {
  Approach a;
  a.name = short_name + "." + variant;
  a.chapter = std::move(chapter);
  a.variant = variant;
  a.workers_are = std::move(workers_are);
  a.sharing = sharing;
  return a;
}

/// How an entry runs a chapter inside this process: it builds the chapter's own
/// Config and calls the chapter's run().
template <typename Config, typename Run>
auto in_process(const std::string& variant, Run chapter_run) {
  return [variant, chapter_run](std::uint64_t n, unsigned workers, unsigned work) {
    Config config;
    config.options = options_for(variant, n, workers, work);
    if constexpr (std::is_same_v<Config, ch06::Config>)
      config.one_thread_baseline = false;
    return chapter_run(config);
  };
}

#ifdef PTUT_CH08_PROGRAM  // chapter 8 was built: MPI was found
/// Chapter 8 cannot run inside this process: an MPI job is K processes that
/// mpirun starts and wires together. So its entry starts the job as
/// chapters/08_mpi/run does, reads the sum from the program's --json, and times
/// the whole job, from starting mpirun to its last output: starting the ranks is
/// chapter 8's cost of parallelism, as fork is chapter 2's. (The program's own
/// "seconds" start once every rank is up; chapter 8's page reports those.)
ptut::RunResult run_mpi_job(const std::string& variant, std::uint64_t n, unsigned workers,
                            unsigned work) {
  const std::string root_consent =
      geteuid() == 0 ? "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " : "";
  const std::string command =
      root_consent + "'" PTUT_MPIRUN "' -n " + std::to_string(workers) +
      " --oversubscribe --bind-to none '" PTUT_CH08_PROGRAM "' --variant " + variant +
      " --n " + std::to_string(n) + " --work " + std::to_string(work) + " --json";
  const ptut::Stopwatch stopwatch;
  std::unique_ptr<FILE, int (*)(FILE*)> job(popen(command.c_str(), "r"), pclose);
  if (!job) throw std::runtime_error("could not start mpirun");
  std::string printed;
  for (int c; (c = std::fgetc(job.get())) != EOF;) printed += static_cast<char>(c);
  const double seconds = stopwatch.seconds();
  const int status = pclose(job.release());
  // what went wrong is on stderr, which the job shares with this program
  if (status != 0) {
    throw std::runtime_error("mpirun -n " + std::to_string(workers) +
                             " ch08_mpi failed (wait status " + std::to_string(status) +
                             ")");
  }
  const auto json = nlohmann::json::parse(printed);
  ptut::RunResult result;
  result.sum = std::stoull(json.at("sum").get<std::string>());
  result.seconds = seconds;
  return result;
}
#endif

/// Chapter 8's entry is listed in every build, so that data measured with it
/// can be read anywhere; it runs only where chapter 8 was built.
Approach mpi_approach(const std::string& variant) {
  // MPI ranks are processes, started by mpirun
  Approach a = described("ch08_mpi", "ch08", variant, "processes", Sharing::partials);
#ifdef PTUT_CH08_PROGRAM
  a.run = [variant](std::uint64_t n, unsigned workers, unsigned work) {
    return run_mpi_job(variant, n, workers, work);
  };
#else
  a.missing =
      "chapter 8 needs MPI (install openmpi-bin libopenmpi-dev, or run "
      "scripts/test, and build again)";
#endif
  return a;
}

/// Chapter 9's loops run in this process, as chapters 1, 3 and 6 do. They are
/// listed in every build too; a build without OpenMP and oneTBB cannot run them,
/// and neither can a ThreadSanitizer build, which builds chapter 9 apart with
/// clang and LLVM's libomp (GCC's libgomp makes TSan report races that are not there).
Approach loop_approach(const std::string& variant) {
  // a private copy per thread, combined at the end
  Approach a =
      described("ch09_parallel_loops", "ch09", variant, "threads", Sharing::partials);
#ifdef PTUT_CH09
  a.run = in_process<ch09::Config>(variant, ch09::run);
#else
  a.missing =
      "chapter 9 needs OpenMP and oneTBB (install libtbb-dev, or run scripts/test, "
      "and build again); a ThreadSanitizer build times it only in its own program";
#endif
  return a;
}

/// Chapter 10's tasks run in this process too, with the chapter's default chunk
/// (about 8 tasks per worker). oneTBB's stealing scheduler is left out of a
/// ThreadSanitizer build: the library is not instrumented, and TSan reports the
/// hand-offs it cannot see as races (chapter 10's tests skip it there too).
Approach task_approach(const std::string& variant) {
  // each task's partial sum, read through its future
  Approach a = described("ch10_tasks", "ch10", variant, "threads", Sharing::partials);
#ifndef PTUT_CH10
  a.missing =
      "chapter 10 needs oneTBB (install libtbb-dev, or run scripts/test, and build "
      "again)";
#else
#ifdef __SANITIZE_THREAD__
  if (ch10::on_onetbb(variant)) {
    a.missing = "a ThreadSanitizer build leaves out oneTBB, which it cannot see into";
    return a;
  }
#endif
  a.run = in_process<ch10::Config>(variant, ch10::run);
#endif
  return a;
}

/// Chapter 12's counters and locks run in this process too. Listed in every build,
/// as chapters 9 and 10 are; chapter 12's CMakeLists links it in.
Approach atomics_approach(const std::string& variant, Sharing sharing) {
  Approach a = described("ch12_atomics", "ch12", variant, "threads", sharing);
#ifdef PTUT_CH12
  a.run = in_process<ch12::Config>(variant, ch12::run);
#else
  a.missing = "chapter 12 was not built with this program";
#endif
  return a;
}

// [registry]
// Each entry builds the chapter's own Config and calls the chapter's run():
// the numbers below are those of the code the chapters teach, not of a copy.
template <typename Config, typename Run>
Approach approach(std::string chapter, std::string short_name, std::string variant,
                  std::string workers_are, Sharing sharing, Run chapter_run) {
  Approach a =
      described(std::move(chapter), short_name, variant, std::move(workers_are), sharing);
  a.run = in_process<Config>(variant, chapter_run);
  return a;
}

std::vector<Approach> make_approaches() {
  Approach serial;
  serial.name = kBaseline;
  serial.chapter = "ch01_serial_sum";
  serial.variant = "loop";
  serial.sharing = Sharing::serial;
  serial.run = [](std::uint64_t n, unsigned, unsigned work) {
    return ch01::run(options_for("loop", n, 1, work));
  };

  const std::string ch02 = "ch02_fork_shared_memory", ch03 = "ch03_threads_atomics";
  std::vector<Approach> all = {
      serial,
      approach<ch02::Config>(ch02, "ch02", "locked", "processes", Sharing::per_element,
                             ch02::run),
      approach<ch02::Config>(ch02, "ch02", "atomic", "processes", Sharing::per_element,
                             ch02::run),
      approach<ch02::Config>(ch02, "ch02", "partials", "processes", Sharing::partials,
                             ch02::run),
      approach<ch03::Config>(ch03, "ch03", "mutex", "threads", Sharing::per_element,
                             ch03::run),
      approach<ch03::Config>(ch03, "ch03", "atomic", "threads", Sharing::per_element,
                             ch03::run),
      approach<ch03::Config>(ch03, "ch03", "partials", "threads", Sharing::partials,
                             ch03::run),
      approach<ch04::Config>("ch04_pipes", "ch04", "asio", "processes", Sharing::partials,
                             ch04::run),
      approach<ch05::Config>("ch05_message_queues", "ch05", "dynamic", "processes",
                             Sharing::partials, ch05::run),
      approach<ch05::Config>("ch05_message_queues", "ch05", "static", "processes",
                             Sharing::partials, ch05::run),
      approach<ch06::Config>("ch06_gil_contrast", "ch06", "cpu", "threads",
                             Sharing::serialized, ch06::run),
      approach<ch06::Config>("ch06_gil_contrast", "ch06", "nogil", "threads",
                             Sharing::partials, ch06::run),
  };
  all.push_back(mpi_approach("reduce"));
  // The one-line loops: static split, dynamic chunks, the standard algorithm and
  // oneTBB under it, and threads with vector lanes.
  for (const char* variant :
       {"omp_for", "omp_dynamic", "std_par", "tbb", "omp_for_simd"}) {
    all.push_back(loop_approach(variant));
  }
  // The tasks: a Boost.Asio pool, a thread per task, a hand-built pool of
  // packaged tasks, oneTBB's stealing, and one task per worker.
  for (const char* variant : {"pool", "async", "packaged", "stealing", "static"}) {
    all.push_back(task_approach(variant));
  }
  // The counters and locks built from atomics: a slot per thread read while
  // running, one shared fetch_add per element, batches from a limit counter, and
  // a spin lock (chapter 3's entry is std::mutex's; the ticket lock is left out,
  // since it refuses more threads than cores and the grid has 4 workers).
  all.push_back(atomics_approach("statistical", Sharing::partials));
  all.push_back(atomics_approach("shared_atomic", Sharing::per_element));
  all.push_back(atomics_approach("limit", Sharing::partials));
  all.push_back(atomics_approach("ttas", Sharing::per_element));
  return all;
}
// [registry]

}  // namespace

const std::vector<Approach>& approaches() {
  static const std::vector<Approach> all = make_approaches();
  return all;
}

const Approach& find_approach(const std::string& name) {
  for (const Approach& a : approaches()) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument("no approach called '" + name + "'");
}

std::string to_string(Sharing sharing) {
  switch (sharing) {
    case Sharing::serial:
      return "serial";
    case Sharing::per_element:
      return "per element";
    case Sharing::partials:
      return "partials";
    case Sharing::serialized:
      return "serialized";
  }
  return "?";
}

}  // namespace ch07
