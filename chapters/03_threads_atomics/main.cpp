// Chapter 3: threads and atomics. Parse, run the threads, report.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "ptut/trace.hpp"
#include "threads_atomics.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch03::spec());
  std::string fault;
  cli.app().add_option(
      "--fault", fault,
      "WORKER:throw makes one thread throw halfway, to watch the exception "
      "carried to the caller");
  const ptut::Options options = cli.parse_or_exit(argc, argv);

  ch03::Config config;
  config.options = options;
  config.throwing_worker =
      ptut::parse_fault(cli, fault, options.workers, {"throw"}).worker;
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", "
              << options.workers
              // steps bypass std::cout
              << (options.workers == 1 ? " thread\n" : " threads\n") << std::flush;
  }
  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  ptut::RunResult result;
  try {
    result = ch03::run(config);
  } catch (const std::exception& failure) {  // RunFailed, or out of memory
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
