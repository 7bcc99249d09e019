// Chapter 6: a GIL-like lock. Parse, run the mode with one thread and with K, report.
#include <CLI/CLI.hpp>

#include <exception>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "gil_contrast.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"

int main(int argc, char** argv) {
  ptut::CommandLine cli(ch06::spec());
  double interval_ms = 5.0;
  unsigned block_ms = 500;
  unsigned round_trips = 200;
  cli.app()
      .add_option(
          "--switch-interval", interval_ms,
          "Milliseconds a thread waits for the lock before it asks the holder to drop it "
          "(CPython: 5, sys.setswitchinterval)")
      ->check(ptut::quantity_between(0.01, 1000, "milliseconds"))
      ->capture_default_str();
  cli.app()
      .add_option("--block-ms", block_ms,
                  "io: milliseconds each task blocks with the lock released")
      ->transform(ptut::whole_number(1, 60'000, "at most a minute"))
      ->capture_default_str();
  cli.app()
      .add_option("--round-trips", round_trips,
                  "convoy: request/response round trips the I/O thread makes")
      ->transform(ptut::whole_number(1, 1'000'000, "at most a million"))
      ->capture_default_str();
  const ptut::Options options = cli.parse_or_exit(argc, argv);
  const bool convoy = ch06::is_convoy(options.variant);
  if (convoy && options.workers < 2) {
    cli.fail_usage(
        "--workers: convoy needs at least 2 threads, one making round trips and one "
        "computing");
  }

  ch06::Config config;
  config.options = options;
  config.switch_interval =
      std::chrono::nanoseconds(static_cast<std::int64_t>(interval_ms * 1e6));
  config.block = std::chrono::milliseconds(block_ms);
  config.round_trips = round_trips;

  const ptut::trace::Session trace(cli, options);  // --trace FILE, if asked for
  ch06::GilFacts result;
  try {
    result = ch06::run(config);
  } catch (const std::exception& error) {  // a socket or a thread could not be made
    std::cerr << cli.spec().target << ": " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  if (!options.json) {
    const auto two_places = [](double value) {
      std::ostringstream text;
      text << std::fixed << std::setprecision(2) << value;
      return text.str();
    };
    std::cout << cli.spec().title << ": " << options.variant << ", " << options.workers
              << " threads, switch interval " << interval_ms << " ms\n";
    if (convoy) {
      const ch06::RoundTrips& trips = result.round_trips.value();
      std::cout << "  the I/O thread alone: " << round_trips << " round trips, "
                << ptut::format_seconds(trips.ms_alone / 1e3) << " each on average\n"
                << "  beside " << options.workers - 1 << " CPU-bound thread"
                << (options.workers > 2 ? "s" : "") << ": "
                << ptut::format_seconds(trips.ms_beside / 1e3) << " each on average ("
                << two_places(trips.ms_beside / interval_ms) << " switch intervals)\n";
    } else {
      const double one = result.one_thread_seconds.value();
      std::cout << "  chapter 1's loop: "
                << ptut::format_seconds(result.loop_seconds.value()) << '\n'
                << "  1 thread:  " << ptut::format_seconds(one) << '\n'
                << "  " << options.workers
                << " threads: " << ptut::format_seconds(result.seconds) << ", "
                << two_places(result.speedup_vs_loop.value()) << "× the loop's speed, "
                << two_places(result.speedup_vs_one_thread.value()) << "× one thread's"
                << (one < 1e-3 ? " (too little work to compare: try --n 200000000)\n"
                               : "\n");
    }
    const std::uint64_t handoffs = result.handoffs;
    const std::uint64_t requests = result.drop_requests;
    std::cout << "  the lock changed hands " << handoffs
              << (handoffs == 1 ? " time; " : " times; ") << requests
              << (requests == 1 ? " drop request" : " drop requests")
              << (convoy ? " (for " + std::to_string(round_trips) + " round trips)\n"
                         : "\n");
  }
  return ptut::report(cli, options, result, std::cout, std::cerr);
}
