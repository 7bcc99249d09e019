/// \file
/// \brief Chapter 7: the driver — a grid of runs, timed with warm-up and
/// repetition, saved as JSON and CSV, and summarised as tables and plot data.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "approaches.hpp"
#include "statistics.hpp"

namespace ch07 {

/// What to measure.
struct Grid {
  std::string name;                     ///< "quick", "full", or "custom"
  std::vector<std::uint64_t> ns;        ///< problem sizes, ascending
  std::vector<unsigned> workers;        ///< worker counts, ascending, starting with 1
  std::vector<unsigned> works;          ///< `--work` values
  std::vector<std::string> approaches;  ///< in chapter order, or as chosen; loop last
  unsigned repeat = 3;                  ///< timed runs per point
  unsigned warmup = 1;                  ///< untimed runs per point first
  /// A point whose time a run, extrapolated from the same approach's previous
  /// N, exceeds this many seconds is skipped, and so are the larger N after it.
  double budget_seconds = 0.1;
};

/// The default grid: what `ch07_measuring` runs with no options, in about a minute.
[[nodiscard]] Grid quick_grid();
/// `--full`: N from 10^3 to 10^9 in 1–2–5 steps, 1, 2 and 4 workers, `--work` 0 and 16.
[[nodiscard]] Grid full_grid();

/// One point of the grid and its timings (empty when skipped).
struct Point {
  std::string approach;         ///< the approach's name, e.g. "ch03.partials"
  std::uint64_t n = 0;          ///< the problem size
  unsigned workers = 1;         ///< how many workers
  unsigned work = 0;            ///< `--work`
  std::vector<double> seconds;  ///< one per timed run
  /// Chapter 1's loop at the same N and work, timed in turn with this point's
  /// runs: the baseline of its speedup over the serial loop. A shared virtual
  /// machine changes speed from one minute to the next, so a baseline measured
  /// at another time would not do.
  std::vector<double> serial_seconds;
  std::string skipped;  ///< why it was not measured, or empty
};

/// A measured grid: the raw timings and where they were taken.
struct Dataset {
  Grid grid;                  ///< what was asked for
  nlohmann::json machine;     ///< ptut::to_json(ptut::describe_machine())
  std::string measured_at;    ///< UTC, ISO 8601
  std::vector<Point> points;  ///< in the order they were measured
};

/// What the driver is doing, for a progress line: the point, the run (0 for
/// the warm-up) and how many points there are in all.
using OnRun = std::function<void(const Point& point, unsigned run, std::size_t index,
                                 std::size_t total)>;

/// Measures every point of the grid, interleaving the worker counts of one
/// (approach, N, work) and chapter 1's loop run by run, so that a slow spell of
/// the machine hits them alike.
/// \throws std::runtime_error naming the approach and the point when a run fails
/// (a worker killed, say) or gets a wrong sum; a ptut::RunFailed that carries a
/// signal (a Ctrl-C) passes through unchanged, for the program to end by it.
[[nodiscard]] Dataset measure(const Grid& grid, const OnRun& on_run = {});

/// `dataset` with the points of `added` (one approach, measured over the same
/// grid) in place of any it had for that approach; the approach joins the grid's
/// list in chapter order, and measured_at says when it was added.
/// \throws std::invalid_argument if the grids differ or `added` holds other approaches.
[[nodiscard]] Dataset add_points(Dataset dataset, const Dataset& added);

/// One point with everything derived from its timings.
struct Row {
  Point point;                 ///< what was measured
  std::optional<Spread> time;  ///< absent when skipped
  /// chapter 1's loop at the same N and work, timed beside it
  std::optional<double> serial_median;
  std::optional<double> vs_serial;   ///< the speedup: over that loop
  std::optional<double> efficiency;  ///< vs_serial / workers
  /// the serial fraction that explains vs_serial
  std::optional<double> karp_flatt;
  /// the approach's speedup over its own run with 1 worker, shown beside
  /// vs_serial: how it scales, not how fast it is
  std::optional<double> vs_one_worker;
};

/// The rows of a dataset, in its order.
[[nodiscard]] std::vector<Row> derive(const Dataset& dataset);

/// For one approach and `--work`: where two workers start to beat one.
struct Crossover {
  std::string approach;  ///< the approach's name
  unsigned work = 0;     ///< `--work`
  /// none: one worker still wins at the largest N measured
  std::optional<std::uint64_t> n;
  std::uint64_t largest_n = 0;  ///< the largest N with both 1 and 2 workers measured
};

/// One crossover per approach (with workers) and `--work` of the dataset that has
/// at least two N with both 1 and 2 workers measured.
[[nodiscard]] std::vector<Crossover> crossovers(const std::vector<Row>& rows);

/// The dataset as JSON: raw timings, and the derived rows and crossovers for
/// whoever reads the file (they are recomputed from the timings when read back).
[[nodiscard]] nlohmann::json to_json(const Dataset& dataset);
/// Reads what to_json() wrote. \throws std::runtime_error on a malformed file.
[[nodiscard]] Dataset dataset_from_json(const nlohmann::json& json);

/// One line per point, the derived figures included.
void write_csv(const std::vector<Row>& rows, std::ostream& out);

/// The tables a reader wants: every point (when `every_point`), the crossovers,
/// the article's claim at N = 1,000,000 and 2,000,000, the compute-bound
/// speedups with Karp–Flatt and Amdahl, and per-element sharing against the
/// serial loop.
void print_report(const Dataset& dataset, bool every_point, std::ostream& out);

/// Data files for gnuplot (see plots.gp): `<prefix>_time_work<W>.dat` for each
/// `--work`, `<prefix>_speedup.dat` (for the last `--work`), `<prefix>_machine.txt`
/// (a line for the titles) and `<prefix>_works.txt` (the `--work` values). Each .dat
/// holds one block per approach, blocks separated by two blank lines, each starting with
/// its title. \throws std::runtime_error if a file cannot be written.
void write_plot_data(const Dataset& dataset, const std::string& prefix);

/// One Google Benchmark result of ch07_overheads: "<operation> | <implementation>".
struct Overhead {
  std::string operation;       ///< e.g. "fork+wait"
  std::string implementation;  ///< e.g. "ptut::ChildProcesses"
  double nanoseconds = 0;      ///< real time per iteration
};

/// Reads Google Benchmark's JSON output (`--benchmark_out_format=json`).
/// \throws std::runtime_error on a malformed file.
[[nodiscard]] std::vector<Overhead> overheads_from_json(const nlohmann::json& json);
/// A table of the overheads, each implementation beside the one before it.
void print_overheads(const std::vector<Overhead>& overheads, std::ostream& out);
/// `<prefix>_overheads.dat` for gnuplot's bars: row, label, nanoseconds, and 0 for
/// an operation's first implementation (the abstraction) or 1 for the others.
void write_overhead_data(const std::vector<Overhead>& overheads,
                         const std::string& prefix);

/// "1000", "2e6" style is hard to read: "10^3", "2·10^6", or the number itself below
/// 1000.
[[nodiscard]] std::string size_text(std::uint64_t n);

/// The timed row of one point, or nullptr when the rows have none (not measured,
/// or skipped as over the budget).
[[nodiscard]] const Row* find_row(const std::vector<Row>& rows,
                                  const std::string& approach, std::uint64_t n,
                                  unsigned workers, unsigned work);

}  // namespace ch07
