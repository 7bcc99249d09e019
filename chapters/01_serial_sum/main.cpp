// Chapter 1: the serial sum. Parse, say where we are, sum, report.
#include <iomanip>
#include <iostream>

#include "ptut/machine.hpp"
#include "serial_sum.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch01::spec());
  const ptut::Options options = cli.parse_or_exit(argc, argv);
  const bool visits_elements = cli.variant(options).visits_elements;
  if (!visits_elements && options.work > 0) {
    cli.fail_usage(
        "--work: the formula variant visits no element, so it has no per-element work");
  }

  // [machine]
  if (!options.json) {
    std::cout << cli.spec().title << '\n';
    ptut::print_machine(ptut::describe_machine(), std::cout);
  }
  // [machine]

  ch01::StepObserver show_step;
  if (!options.json && visits_elements && options.n <= ptut::kStepByStepUpTo) {
    show_step = [](std::uint64_t i, std::uint64_t running_sum) {
      std::cout << "  i = " << std::setw(2) << i << "   sum = " << std::setw(4)
                << running_sum << '\n';
    };
  }
  const ptut::RunResult result = ch01::run(options, show_step);
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
