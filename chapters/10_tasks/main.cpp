// Chapter 10: tasks. Parse, run the tasks, report.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "ptut/trace.hpp"
#include "ptut/work.hpp"
#include "tasks.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch10::spec());
  ch10::Config config;
  std::string fault;
  auto* chunk_option =
      cli.app()
          .add_option("--chunk", config.chunk,
                      "Elements per task (default: about 8 tasks per worker)")
          ->transform(ptut::whole_number(
              1, ptut::kMaxN,
              "at most " + std::to_string(ptut::kMaxN) + ", the largest N"));
  cli.app()
      .add_option("--skew", config.skew,
                  "Make element i cost work + SKEW × (i − 1) / N rounds, 0 to 64 (as "
                  "chapter 5): equal halves become unequal work")
      ->transform(ptut::whole_number(0, ptut::kMaxSkew, "at most 64 extra rounds"));
  cli.app().add_option("--fault", fault,
                       "TASK:throw makes one task throw halfway through its chunk; "
                       "TASK:hang makes it never end (a thread stuck in a call)");
  cli.app()
      .add_option("--hang-timeout", config.hang_timeout,
                  "Seconds without progress before a running task is reported stuck "
                  "(default 5)")
      ->check(ptut::seconds_between(0.1, 3600));
  config.options = cli.parse_or_exit(argc, argv);
  const ptut::Options& options = config.options;
  if (chunk_option->count() > 0 && ch10::one_task_per_worker(options.variant)) {
    cli.fail_usage(
        "--chunk: static makes one task per worker; pick another variant "
        "to choose the tasks' size");
  }
  const ch10::Plan plan = ch10::plan_of(config);
  if (plan.count() > ch10::kMaxTasks) {
    cli.fail_usage("--chunk: " + std::to_string(config.chunk) + " makes " +
                   std::to_string(plan.count()) + " tasks of 1.." +
                   std::to_string(options.n) + "; at most " +
                   std::to_string(ch10::kMaxTasks) + " (each holds a future)");
  }
  config.fault = ptut::parse_fault(cli, fault, plan.count(), ch10::kFaultKinds, "task");
  config.show_steps = !options.json && options.n <= ptut::kStepByStepUpTo;

  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  if (!options.json) {
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << (options.workers == 1 ? " thread, " : " threads, ") << plan.count()
              << (plan.count() == 1 ? " task" : " tasks") << " of up to " << plan.size()
              << (plan.size() == 1 ? " element" : " elements")
              << (config.skew ? ", skew " + std::to_string(config.skew) : "") << '\n'
              << std::flush;  // the tasks' lines bypass std::cout
  }
  ch10::TaskFacts result;
  try {
    result = ch10::run(config);
  } catch (const std::exception& failure) {  // RunFailed, or out of memory
    std::cerr << cli.spec().target << ": " << failure.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json) {
    std::cout << "  " << result.tasks << " tasks ran on " << result.threads_used
              << " threads";
    if (result.tasks_per_thread && result.threads_used > 1) {
      std::cout << " (tasks per thread: "
                << nlohmann::json(*result.tasks_per_thread).dump() << ")";
    }
    std::cout << '\n';
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
