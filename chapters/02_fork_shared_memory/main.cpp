// Chapter 2: fork and shared memory. Parse, run the workers, report.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <system_error>

#include <boost/interprocess/exceptions.hpp>

#include "fork_shared_memory.hpp"
#include "ptut/process.hpp"
#include "ptut/trace.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch02::spec());
  std::string memory = "anonymous";
  std::string lock = "timed";
  std::string fault;
  double hang_timeout = 5.0;
  cli.app()
      .add_option("--memory", memory,
                  "anonymous: inherited mapping, nothing to clean up; named: "
                  "/dev/shm/ptut_ch02_<pid>_segment")
      ->check(CLI::IsMember(ptut::names_of(ch02::kMemories)))
      ->capture_default_str();
  auto* lock_option = cli.app()
                          .add_option("--lock", lock,
                                      "The locked variant's lock. timed: Boost's "
                                      "interprocess_mutex as this project builds it "
                                      "(each lock() reads the clock, gives up after 1.5 "
                                      "s); plain: the same pthread mutex "
                                      "without a time limit")
                          ->check(CLI::IsMember(ptut::names_of(ch02::kLocks)))
                          ->capture_default_str();
  cli.app().add_option(
      "--fault", fault,
      "WORKER:KIND makes one worker fail halfway, to watch the parent cope; "
      "KIND is exit (status 3), abort (SIGABRT) or hang");
  cli.app()
      .add_option("--hang-timeout", hang_timeout,
                  "Seconds (0.1 to 3600) a worker may go without progress before it "
                  "counts as hung")
      ->check(ptut::seconds_between(0.1, 3600))
      ->capture_default_str();
  const ptut::Options options = cli.parse_or_exit(argc, argv);
  if (lock_option->count() > 0 && !ch02::takes_lock(options.variant)) {
    cli.fail_usage("--lock: only the locked variant takes a lock; add --variant locked");
  }

  ch02::Config config;
  config.options = options;
  config.memory = ptut::named_value(ch02::kMemories, memory);
  config.lock = ptut::named_value(ch02::kLocks, lock);
  config.fault = ptut::parse_fault(cli, fault, options.workers, ch02::kFaultKinds);
  config.hang_timeout = hang_timeout;
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " worker, " : " workers, ") << memory
              << " shared memory\n"
              << std::flush;  // steps bypass std::cout
  }
  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  ch02::ForkFacts result;
  try {
    result = ch02::run(config);
  } catch (const ch02::RunFailed& failure) {
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    if (failure.signal() != 0) ptut::reraise(failure.signal());  // a shell loop stops too
    return ptut::kExitFailed;
  } catch (const boost::interprocess::interprocess_exception& error) {
    std::cerr << cli.spec().target << ": shared memory: " << error.what() << '\n';
    return ptut::kExitFailed;
  } catch (const std::system_error& error) {
    std::cerr << cli.spec().target << ": " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  for (const std::string& name : result.removed) {
    std::cerr << cli.spec().target << ": removed /dev/shm/" << name
              << ", left behind by a run that no longer exists\n";
  }
  if (!options.json && result.partials && options.n <= ptut::kStepByStepUpTo) {
    std::cout << "  the parent adds the slots:";
    for (const std::uint64_t partial : *result.partials) std::cout << ' ' << partial;
    std::cout << '\n';
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
