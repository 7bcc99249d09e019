// Chapter 4: pipes. Parse, run the workers, report.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>

#include "pipes.hpp"
#include "ptut/process.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch04::spec());
  std::string fault;
  std::string mistake = "none";
  unsigned slow_worker = 0;
  std::uint64_t chatter = 0;
  double hang_timeout = 5.0;
  cli.app().add_option(
      "--fault", fault,
      "WORKER:KIND makes one worker fail early in its chunk, to watch the parent cope; "
      "KIND is "
      "kill (SIGKILL), early (exits without its result), garbage (writes a malformed "
      "record) or hang");
  cli.app()
      .add_option("--slow", slow_worker,
                  "WORKER pauses 20 ms per element instead of 2 (steps are shown for --n "
                  "up to 40): "
                  "watch what the sequential variant does to the others' messages")
      ->transform(
          ptut::whole_number(1, ptut::kMaxWorkers, "there are at most 256 workers"));
  cli.app()
      .add_option("--chatter", chatter,
                  "BYTES of text each worker also sends before its result, in notes of "
                  "up to 1 MiB: "
                  "records larger than PIPE_BUF, pipes that fill up")
      ->transform(
          ptut::whole_number(0, std::uint64_t{1} << 30, "at most 1 GiB per worker"));
  cli.app()
      .add_option(
          "--mistake", mistake,
          "keep-write-end: the parent keeps each pipe's write end open, as a forgetful "
          "program does; see what happens")
      ->check(CLI::IsMember(ptut::names_of(ch04::kMistakes)))
      ->capture_default_str();
  cli.app()
      .add_option(
          "--hang-timeout", hang_timeout,
          "Seconds (0.1 to 3600) a worker may send nothing before it counts as hung")
      ->check(ptut::seconds_between(0.1, 3600))
      ->capture_default_str();
  const ptut::Options options = cli.parse_or_exit(argc, argv);

  ch04::Config config;
  config.options = options;
  config.fault = ptut::parse_fault(cli, fault, options.workers, ch04::kFaultKinds);
  if (slow_worker > options.workers) {
    cli.fail_usage("--slow: there is no worker " + std::to_string(slow_worker) +
                   "; expected 1 to " + std::to_string(options.workers));
  }
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;
  if (slow_worker != 0 && !config.show_steps) {
    cli.fail_usage(
        "--slow: a slow worker shows only in the steps, printed for --n up to " +
        std::to_string(ptut::kStepByStepUpTo) + " without --json");
  }
  config.slow_worker = slow_worker;
  config.chatter_bytes = chatter;
  config.mistake = ptut::named_value(ch04::kMistakes, mistake);
  config.hang_timeout = hang_timeout;

  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", "
              << options.workers
              // steps bypass std::cout
              << (options.workers == 1 ? " worker\n" : " workers\n") << std::flush;
  }
  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  ch04::PipesFacts result;
  try {
    result = ch04::run(config);
  } catch (const ptut::RunFailed& failure) {
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    if (failure.signal() != 0) ptut::reraise(failure.signal());  // a shell loop stops too
    return ptut::kExitFailed;
  } catch (const std::exception& error) {
    // Pipe() or fork() failed, or Asio could not start (no descriptors).
    std::cerr << cli.spec().target << ": " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json && options.workers <= 8) {
    for (const ch04::PipeFacts& pipe : result.pipes) {
      std::cout << "  worker " << pipe.worker << ": " << pipe.records
                << (pipe.records == 1 ? " record, " : " records, ") << pipe.bytes
                << " bytes; the longest waited "
                << ptut::format_seconds(pipe.longest_wait_ms / 1e3) << " in the pipe; "
                << ptut::format_seconds(pipe.in_write_ms / 1e3)
                << " in write(); partial sum " << pipe.partial << '\n';
    }
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
