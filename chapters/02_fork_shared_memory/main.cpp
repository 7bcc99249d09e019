// Chapter 2: fork and shared memory. Parse, run the workers, report.
#include <iostream>
#include <string>
#include <system_error>

#include <boost/interprocess/exceptions.hpp>

#include "fork_shared_memory.hpp"

namespace {

// "--fault 2:abort" → worker 2 aborts halfway through its chunk.
ch02::Fault parse_fault(const ptut::CommandLine& cli, const std::string& text, unsigned workers) {
  if (text.empty()) return {};
  const auto colon = text.find(':');
  const std::string worker = text.substr(0, colon);
  const std::string kind = colon == std::string::npos ? "" : text.substr(colon + 1);
  ch02::Fault fault;
  if (kind == "exit") fault.kind = ch02::FaultKind::exit;
  if (kind == "abort") fault.kind = ch02::FaultKind::abort;
  if (kind == "hang") fault.kind = ch02::FaultKind::hang;
  if (worker.empty() || worker.size() > 3 || worker.find_first_not_of("0123456789") != std::string::npos ||
      fault.kind == ch02::FaultKind::none) {
    cli.fail_usage("--fault: '" + text + "' is not WORKER:KIND with KIND exit, abort or hang");
  }
  fault.worker = static_cast<unsigned>(std::stoul(worker));
  if (fault.worker < 1 || fault.worker > workers) {
    cli.fail_usage("--fault: there is no worker " + worker + "; expected 1 to " +
                   std::to_string(workers));
  }
  return fault;
}

}  // namespace

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch02::spec());
  std::string memory = "anonymous";
  std::string fault;
  double hang_timeout = 5.0;
  cli.app()
      .add_option("--memory", memory,
                  "anonymous: inherited mapping, nothing to clean up; named: /dev/shm/ptut_ch02_<pid>_segment")
      ->check(CLI::IsMember({"anonymous", "named"}))
      ->capture_default_str();
  cli.app().add_option("--fault", fault,
                       "WORKER:KIND makes one worker fail halfway, to watch the parent cope; "
                       "KIND is exit (status 3), abort (SIGABRT) or hang");
  cli.app()
      .add_option("--hang-timeout", hang_timeout,
                  "Seconds a worker may go without progress before it counts as hung")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  const ptut::Options options = cli.parse_or_exit(argc, argv);

  ch02::Config config;
  config.options = options;
  config.memory = memory == "named" ? ch02::Memory::named : ch02::Memory::anonymous;
  config.fault = parse_fault(cli, fault, options.workers);
  config.hang_timeout = hang_timeout;
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " worker, " : " workers, ") << memory << " shared memory\n";
  }
  ptut::RunResult result;
  try {
    result = ch02::run(config);
  } catch (const ch02::RunFailed& failure) {
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  } catch (const boost::interprocess::interprocess_exception& error) {
    std::cerr << cli.spec().target << ": shared memory: " << error.what() << '\n';
    return ptut::kExitFailed;
  } catch (const std::system_error& error) {
    std::cerr << cli.spec().target << ": " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json && options.variant == "partials" && options.n <= ptut::kStepByStepUpTo) {
    std::cout << "  the parent adds the slots:";
    for (const auto& partial : result.extra["partials"]) std::cout << ' ' << partial.get<std::string>();
    std::cout << '\n';
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
