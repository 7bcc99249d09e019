// Chapter 5: message queues. Parse, run the workers, report.
#include <CLI/CLI.hpp>

#include <boost/interprocess/exceptions.hpp>

#include <iostream>
#include <string>
#include <exception>

#include "message_queues.hpp"
#include "ptut/process.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch05::spec());
  std::uint64_t chunk = 0;
  unsigned skew = 0;
  std::string fault;
  auto* chunk_option =
      cli.app()
          .add_option("--chunk", chunk,
                      "Elements per task for the dynamic variant (default: about 8 tasks "
                      "per worker)")
          ->transform(ptut::whole_number(
              1, ptut::kMaxN,
              "at most " + std::to_string(ptut::kMaxN) + ", the largest N"));
  cli.app()
      .add_option("--skew", skew,
                  "Make element i cost work + SKEW × (i − 1) / N rounds, 0 to 64: the "
                  "end of the range "
                  "costs more, so equal halves are unequal work")
      ->transform(ptut::whole_number(0, ptut::kMaxSkew, "at most 64 extra rounds"));
  cli.app().add_option(
      "--fault", fault,
      "WORKER:KIND makes one worker fail after taking a task, to watch the parent cope; "
      "KIND is kill (SIGKILL) or exit (status 3)");
  const ptut::Options options = cli.parse_or_exit(argc, argv);
  if (chunk_option->count() > 0 && ch05::one_chunk_each(options.variant)) {
    cli.fail_usage(
        "--chunk: the static variant has one chunk per worker; --chunk is for --variant "
        "dynamic");
  }

  ch05::Config config;
  config.options = options;
  config.chunk = chunk;
  config.skew = skew;
  config.fault = ptut::parse_fault(cli, fault, options.workers, ch05::kFaultKinds);
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " worker" : " workers")
              << (skew ? ", skew " + std::to_string(skew) : "") << '\n';
  }
  ch05::QueueFacts result;
  try {
    result = ch05::run(config);
  } catch (const ptut::RunFailed& failure) {
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    if (failure.signal() != 0) ptut::reraise(failure.signal());  // a shell loop stops too
    return ptut::kExitFailed;
  } catch (const boost::interprocess::interprocess_exception& error) {
    // A queue could not be made.
    std::cerr << cli.spec().target << ": message queue: " << error.what() << '\n';
    return ptut::kExitFailed;
  } catch (const std::exception& error) {
    // Fork() failed, out of memory: the queues are gone by now.
    std::cerr << cli.spec().target << ": " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  for (const std::string& name : result.removed) {
    std::cerr << cli.spec().target << ": removed /dev/shm/" << name
              << ", left behind by a run that no longer exists\n";
  }
  if (!options.json) {
    std::cout << "  " << ptut::counted(result.chunks, "chunk", "chunks") << " of up to "
              << ptut::counted(result.chunk_size, "element", "elements")
              << "; chunks per worker:";
    for (const std::uint64_t count : result.chunks_by_worker) std::cout << ' ' << count;
    std::cout << "\n  " << ptut::counted(result.task_queue_full, "task", "tasks")
              << " found the task queue (" << result.queue_depth
              << " messages) full; the parent waited "
              << ptut::format_seconds(result.producer_waited) << " for room\n";
    if (config.show_steps)
      std::cout << "  (each worker paused 2 ms per element, so that several take part)\n";
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
