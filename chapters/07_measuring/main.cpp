// Chapter 7: measuring. Time every approach over a grid of N, workers and work,
// or re-read a dataset measured before; print the tables, write CSV and JSON.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "measuring.hpp"
#include "ptut/machine.hpp"
#include "ptut/process.hpp"
#include "ptut/timing.hpp"

namespace {

ptut::ChapterSpec spec() {
  ptut::ChapterSpec spec{
      .target = "ch07_measuring",
      .title = "Chapter 7: measuring",
      .about =
          "Chapter 7: times every approach of chapters 1 to 6 (and 8 to 10, when built "
          "with MPI, OpenMP and oneTBB) over a grid of N, "
          "worker counts and "
          "--work, with warm-up and repeated runs, and reports medians, spread, "
          "speedups, "
          "efficiency, the Karp-Flatt serial fraction and where two workers start to "
          "beat one. "
          "With no option it runs a quick grid (about a minute); --full runs the whole "
          "grid. "
          "--n, --workers and --work narrow the grid to one N, to 1 and K workers, to "
          "one work.",
      .variants = {{ch07::kEveryApproach, "every approach below, in chapter order",
                    true}},
      .default_variant = ch07::kEveryApproach,
      .has_workers = true,
      .no_workers_reason = "",
      .variant_flag = "--approach",
  };
  for (const ch07::Approach& a : ch07::approaches()) {
    spec.variants.push_back({a.name,
                             a.chapter + " --variant " + a.variant + " (" +
                                 ch07::to_string(a.sharing) + ")" +
                                 (a.run ? "" : ": not in this build (" + a.missing + ")"),
                             true});
  }
  return spec;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  if (!file.flush()) throw std::runtime_error("cannot write " + path.string());
}

// The dataset as <path> (JSON, the raw timings) and the same name in .csv (a line
// per point, every derived figure in a column).
void write_dataset(const ch07::Dataset& dataset, const std::filesystem::path& json_path) {
  std::ostringstream csv;
  ch07::write_csv(ch07::derive(dataset), csv);
  write_file(std::filesystem::path(json_path).replace_extension(".csv"), csv.str());
  write_file(json_path, ch07::to_json(dataset).dump(1) + "\n");
}

nlohmann::json read_json(const std::string& path) {
  if (std::filesystem::is_directory(path))
    throw std::runtime_error("cannot read " + path + ": it is a folder");
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(path + " is not JSON: " + error.what());
  }
}

// Erases the progress line, on a terminal.
const char* end_progress_line() {
  return isatty(STDERR_FILENO) == 1 ? "\r\033[K" : "";
}

// One line on a terminal, rewritten in place; a line per N and work in a log.
ch07::OnRun progress_on_stderr() {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  return [terminal, last_group = std::string()](const ch07::Point& p, unsigned run,
                                                std::size_t index,
                                                std::size_t total) mutable {
    const std::string group =
        "N = " + ch07::size_text(p.n) + ", work " + std::to_string(p.work);
    if (terminal) {
      std::cerr << "\r\033[K  [" << index + 1 << "/" << total << "] " << group << ": "
                << p.approach << ", " << p.workers
                << (p.workers == 1 ? " worker, " : " workers, ")
                << (run == 0 ? std::string("warm-up") : "run " + std::to_string(run))
                << std::flush;
    } else if (group != last_group) {
      std::cerr << "  measuring " << group << " (" << index << " of " << total
                << " points done)\n";
    }
    last_group = group;
  };
}

}  // namespace

int main(int argc, char** argv) {
  ptut::CommandLine cli(spec());
  bool full = false, every_point = false;
  unsigned repeat = 0;
  double budget = 0;
  std::string out_dir = "measurements", from, add_to, overheads, plot_data;
  std::vector<std::string> several;
  CLI::App& app = cli.app();
  app.add_flag(
      "--full", full,
      "Measure the full grid: N from 10^3 to 10^9, 1, 2 and 4 workers, work 0 and 16");
  app.add_option("--repeat", repeat,
                 "Timed runs per point, 1 to 100 (default 3 quick, 7 full), after one "
                 "warm-up run")
      ->type_name("R")
      ->transform(ptut::whole_number(1, 100, "at most 100 runs per point"));
  app.add_option("--budget", budget,
                 "Skip a point whose run would take longer than this, extrapolated from "
                 "the previous N (default 0.25 quick, 1.5 full)")
      ->type_name("SECONDS")
      ->check(ptut::seconds_between(0.001, 3600));
  app.add_option("--out", out_dir,
                 "Write <grid>.csv and <grid>.json in this folder (made if missing)")
      ->type_name("DIR")
      ->capture_default_str();
  app.add_option(
         "--from", from,
         "Measure nothing: read a JSON file this program wrote and print its tables")
      ->type_name("FILE");
  app.add_option("--add-to", add_to,
                 "Measure one approach (--approach) over the grid of a JSON file this "
                 "program wrote, on the "
                 "machine that file was measured on, and put its points in that file and "
                 "its CSV, replacing "
                 "any it had: an approach added to the registry joins a reference "
                 "without remeasuring the rest")
      ->type_name("FILE");
  app.add_option("--approaches", several,
                 "Measure these approaches side by side, point by point (names from the "
                 "list below, separated by commas), each beside the loop")
      ->type_name("A,B,...")
      ->delimiter(',')
      ->excludes("--approach");
  app.add_option("--overheads", overheads,
                 "Also print the costs in a JSON file written by ch07_overheads "
                 "--benchmark_out=FILE")
      ->type_name("FILE");
  app.add_option("--plot-data", plot_data,
                 "Write the data files plots.gp draws to <PREFIX>_*.dat")
      ->type_name("PREFIX");
  app.add_flag("--every-point", every_point,
               "Print every point, not only the summaries (the default for grids of up "
               "to 200 points)");
  const ptut::Options options = cli.parse_or_exit(argc, argv);

  const bool narrowed = app.count("--n") + app.count("--workers") + app.count("--work") +
                            app.count("--approach") + app.count("--approaches") >
                        0;
  if (!from.empty() && (full || narrowed || repeat != 0 || budget != 0)) {
    cli.fail_usage(
        "--from: a dataset is re-read as it is; --full, --n, --workers, --work, "
        "--approach, --approaches, --repeat "
        "and --budget apply to measuring");
  }

  if (!add_to.empty() && (!from.empty() || full ||
                          app.count("--n") + app.count("--workers") +
                                  app.count("--work") + app.count("--approaches") >
                              0 ||
                          repeat != 0 || budget != 0)) {
    cli.fail_usage(
        "--add-to: the file's own grid is measured; only --approach goes with it");
  }
  if (!add_to.empty() &&
      (options.variant == ch07::kEveryApproach || options.variant == ch07::kBaseline)) {
    cli.fail_usage("--add-to: name the approach to add with --approach");
  }

  if (from.empty() && options.variant != ch07::kEveryApproach &&
      !ch07::find_approach(options.variant).run) {
    cli.fail_usage("--approach " + options.variant + ": not in this build; " +
                   ch07::find_approach(options.variant).missing);
  }

  for (const std::string& name : several) {
    const auto& all = ch07::approaches();
    if (std::none_of(all.begin(), all.end(),
                     [&](const ch07::Approach& a) { return a.name == name; }))
      cli.fail_usage("--approaches: unknown approach '" + name + "'");
    if (!ch07::find_approach(name).run)
      cli.fail_usage("--approaches: " + name + " is not in this build; " +
                     ch07::find_approach(name).missing);
  }

  ch07::Dataset dataset;
  try {
    if (!from.empty()) {
      dataset = ch07::dataset_from_json(read_json(from));
    } else if (!add_to.empty()) {
      dataset = ch07::dataset_from_json(read_json(add_to));
      const nlohmann::json here = ptut::to_json(ptut::describe_machine());
      for (const char* fact : {"cpu_model", "logical_cores", "compiler", "build"}) {
        if (here.at(fact) != dataset.machine.at(fact)) {
          throw std::runtime_error(
              "--add-to: " + add_to + " was measured with " + std::string(fact) + " " +
              dataset.machine.at(fact).dump() + ", this machine has " +
              here.at(fact).dump() + ": points from both would not compare");
        }
      }
      ch07::Grid grid = dataset.grid;
      grid.approaches = {options.variant};
      const ch07::Dataset added = ch07::measure(grid, progress_on_stderr());
      std::cerr << end_progress_line();
      dataset = ch07::add_points(dataset, added);
      write_dataset(dataset, add_to);
      if (!options.json)
        std::cerr << "  added " << options.variant << " to " << add_to
                  << " and its CSV\n";
    } else {
      ch07::Grid grid = full ? ch07::full_grid() : ch07::quick_grid();
      if (narrowed) grid.name = "custom";
      if (app.count("--n")) grid.ns = {options.n};
      if (app.count("--workers"))
        grid.workers = options.workers == 1 ? std::vector<unsigned>{1}
                                            : std::vector<unsigned>{1, options.workers};
      if (app.count("--work")) grid.works = {options.work};
      // The chosen approach first, then the loop it is compared with.
      if (options.variant != ch07::kEveryApproach)
        grid.approaches = {options.variant, ch07::kBaseline};
      if (options.variant == ch07::kBaseline) grid.approaches = {ch07::kBaseline};
      if (!several.empty()) {  // in the order given, each once, the loop last
        grid.approaches.clear();
        for (const std::string& name : several) {
          if (name != ch07::kBaseline &&
              std::find(grid.approaches.begin(), grid.approaches.end(), name) ==
                  grid.approaches.end())
            grid.approaches.push_back(name);
        }
        grid.approaches.push_back(ch07::kBaseline);
      }
      if (repeat != 0) grid.repeat = repeat;
      if (budget != 0) grid.budget_seconds = budget;
      // Before minutes of measuring, not after: can the results be written?
      std::filesystem::create_directories(out_dir);
      if (access(out_dir.c_str(), W_OK) != 0)
        throw std::runtime_error("cannot write in " + out_dir);
      const ptut::Stopwatch stopwatch;
      dataset = ch07::measure(grid, progress_on_stderr());
      std::cerr << end_progress_line();
      std::cerr << "  measured in " << ptut::format_seconds(stopwatch.seconds()) << '\n';
      const std::filesystem::path base = std::filesystem::path(out_dir) / grid.name;
      write_dataset(dataset, base.string() + ".json");
      if (!options.json)
        std::cerr << "  wrote " << base.string() << ".csv and " << base.string()
                  << ".json\n";
    }
    // Everything that can fail is read or written before anything is printed.
    std::vector<ch07::Overhead> costs;
    if (!overheads.empty()) costs = ch07::overheads_from_json(read_json(overheads));
    if (!plot_data.empty()) {
      ch07::write_plot_data(dataset, plot_data);
      if (!costs.empty()) ch07::write_overhead_data(costs, plot_data);
    }
    if (options.json) {
      nlohmann::json json = ch07::to_json(dataset);
      for (const ch07::Overhead& o : costs) {
        json["overheads"].push_back({{"operation", o.operation},
                                     {"implementation", o.implementation},
                                     {"nanoseconds", o.nanoseconds}});
      }
      std::cout << json.dump(1) << '\n';
    } else {
      ch07::print_report(dataset, every_point || dataset.points.size() <= 200, std::cout);
      if (!costs.empty()) ch07::print_overheads(costs, std::cout);
    }
  } catch (const ptut::RunFailed& failure) {  // interrupted (Ctrl-C) in a chapter's run
    std::cerr << end_progress_line() << "ch07_measuring: " << failure.what() << '\n';
    if (failure.signal() != 0) ptut::reraise(failure.signal());  // a shell loop stops too
    return ptut::kExitFailed;
  } catch (const std::exception& error) {
    std::cerr << end_progress_line() << "ch07_measuring: " << error.what() << '\n';
    return ptut::kExitFailed;
  }
  std::cout << std::flush;
  return std::cout ? ptut::kExitOk : ptut::kExitFailed;
}
