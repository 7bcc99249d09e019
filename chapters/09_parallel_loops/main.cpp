// Chapter 9: parallel loops. Parse, run the loop, report.
#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <string>

#include "parallel_loops.hpp"
#include "ptut/trace.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch09::spec());
  std::uint64_t chunk = 0;
  unsigned skew = 0;
  auto* chunk_option =
      cli.app()
          .add_option("--chunk", chunk,
                      "Elements a thread takes at a time in omp_dynamic (default " +
                          std::to_string(ch09::kDefaultChunk) + ")")
          ->transform(ptut::whole_number(
              1, ptut::kMaxN,
              "at most " + std::to_string(ptut::kMaxN) + ", the largest N"));
  cli.app()
      .add_option("--skew", skew,
                  "Make element i cost work + SKEW × (i − 1) / N rounds, 0 to 64 (as "
                  "chapter 5): equal halves become unequal work")
      ->transform(ptut::whole_number(0, ptut::kMaxSkew, "at most 64 extra rounds"));
  ptut::Options options = cli.parse_or_exit(argc, argv);
  if (const std::string why = ch09::missing_from_this_build(options.variant);
      !why.empty()) {
    cli.fail_usage("--variant " + options.variant + ": " + why);
  }
  if (chunk_option->count() > 0 && !ch09::takes_chunk(options.variant)) {
    cli.fail_usage("--chunk: only omp_dynamic takes chunks; " + options.variant +
                   " has its own split");
  }

  const unsigned asked = options.workers;
  if (ch09::one_thread(options.variant)) options.workers = 1;  // reported as it ran
  const ch09::Config config{.options = options, .skew = skew, .chunk = chunk};
  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " thread" : " threads")
              << (skew ? ", skew " + std::to_string(skew) : "") << '\n';
    if (asked != options.workers) {
      std::cout << "  (" << options.variant << " runs on one thread; --workers " << asked
                << " is not used)\n";
    }
  }
  ch09::LoopFacts result;
  try {
    result = ch09::run(config);
  } catch (const std::exception& failure) {  // oneTBB could not start a thread, say
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json) {
    if (result.team) std::cout << "  " << result.team_is << ": " << *result.team;
    std::cout << (result.team ? "; " : "  ") << "CPU time / wall time: ";
    // Many kernels count CPU time in scheduler ticks of a few milliseconds: a shorter
    // run's ratio is noise.
    if (result.seconds < 0.01) {
      std::cout << "(too short a run to tell)\n";
    } else {
      std::cout << std::fixed << std::setprecision(2) << result.cpu_per_wall
                << std::defaultfloat << '\n';
    }
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
