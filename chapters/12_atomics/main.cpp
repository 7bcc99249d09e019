// Chapter 12: atomics in depth. Parse, run the threads, report.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "atomics.hpp"
#include "ptut/trace.hpp"

namespace {

// What the variant's kind measured beside the sum, for people.
void print_facts(const ch12::Result& result, std::uint64_t workers) {
  switch (result.kind) {
    case ch12::Kind::counter:
      if (result.reads != 0) {
        std::cout << "  reader: " << result.reads
                  << " reads while the threads ran, the last " << result.last_read
                  << "; a read of every slot took " << result.ns_per_read
                  << " ns (median)\n";
      }
      if (result.batches != 0)
        std::cout << "  " << result.batches << " batches taken from the limit counter\n";
      break;
    case ch12::Kind::lock:
      std::cout << "  " << result.acquisitions << " acquisitions, " << result.handoffs
                << " by another thread than the last; the longest wait: "
                << result.longest_wait << " acquisitions by other threads\n";
      break;
    case ch12::Kind::phased:
      std::cout << "  " << result.phase_totals.size()
                << " phases; the total after the last: "
                << (result.phase_totals.empty() ? 0 : result.phase_totals.back()) << '\n';
      break;
    case ch12::Kind::bounded:
      std::cout << "  " << result.permits << " permits; at most " << result.most_running
                << " of " << workers << " threads summed at once\n";
      break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch12::spec());
  ch12::Config config;
  std::string fault;
  unsigned read_every_us = 1000;
  cli.app().add_option("--fault", fault,
                       "WORKER:throw makes one thread throw halfway, to watch the "
                       "exception carried to the caller");
  cli.app()
      .add_option("--read-every", read_every_us,
                  "statistical: microseconds between the reader's reads (default 1000)")
      ->transform(ptut::whole_number(1, 1'000'000, "1 to 1000000 microseconds"));
  cli.app()
      .add_option("--batch", config.batch,
                  "limit: elements per batch taken from the shared counter (default "
                  "4096)")
      ->transform(ptut::whole_number(1, 1ULL << 32, "1 to 4294967296 elements"));
  cli.app()
      .add_option("--phases", config.phases,
                  "barrier: phases each thread's chunk is cut into (default 8)")
      ->transform(ptut::whole_number(1, 1000, "1 to 1000 phases"));
  auto* permits =
      cli.app()
          .add_option("--permits", config.permits,
                      "semaphore: threads that may sum at once (default: "
                      "the cores this process may use, at most --workers)")
          ->transform(ptut::whole_number(1, ptut::kMaxWorkers, "1 to 256 threads"));
  config.options = cli.parse_or_exit(argc, argv);
  const ptut::Options& options = config.options;
  if (permits->count() > 0 && config.permits > options.workers) {
    cli.fail_usage("--permits: " + std::to_string(config.permits) + " permits for " +
                   std::to_string(options.workers) + " threads; at most --workers");
  }
  if (const std::string refused = ch12::refusal(config); !refused.empty())
    cli.fail_usage(refused);
  config.read_every = std::chrono::microseconds(read_every_us);
  config.throwing_worker =
      ptut::parse_fault(cli, fault, options.workers, {"throw"}).worker;
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " thread\n" : " threads\n")
              << std::flush;  // steps bypass std::cout
  }
  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  ch12::Result result;
  try {
    result = ch12::run(config);
  } catch (const std::exception& failure) {  // RunFailed, or out of memory
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json) print_facts(result, options.workers);
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
