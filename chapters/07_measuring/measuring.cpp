#include "measuring.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "ptut/machine.hpp"
#include "ptut/process.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"

namespace ch07 {
namespace {

std::vector<std::string> every_approach() {
  std::vector<std::string> names;
  for (const Approach& a : approaches()) {
    if (a.run) names.push_back(a.name);  // not chapter 8 in a build without MPI
  }
  return names;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

using Chain = std::tuple<std::string, unsigned, unsigned>;  // approach, workers, work
// A chain's previous N and its median, or nothing once it has stopped.
using Previous = std::optional<std::pair<std::uint64_t, double>>;

}  // namespace

Grid quick_grid() {
  Grid grid;
  grid.name = "quick";
  grid.ns = {1'000, 10'000, 100'000, 1'000'000, 2'000'000, 10'000'000, 100'000'000};
  grid.workers = {1, 2};
  grid.works = {0, 16};
  grid.approaches = every_approach();
  grid.repeat = 3;
  grid.warmup = 1;
  grid.budget_seconds = 0.25;
  return grid;
}

Grid full_grid() {
  Grid grid;
  grid.name = "full";
  grid.ns.clear();
  for (std::uint64_t decade = 1'000; decade <= 1'000'000'000; decade *= 10) {
    for (const std::uint64_t step : {1, 2, 5}) {
      if (decade * step <= 1'000'000'000) grid.ns.push_back(decade * step);
    }
  }
  grid.workers = {1, 2, 4};
  grid.works = {0, 16};
  grid.approaches = every_approach();
  grid.repeat = 7;
  grid.warmup = 1;
  grid.budget_seconds = 1.5;
  return grid;
}

namespace {

// The budget rule: a chain (one approach, worker count and work) stops at the
// first N whose run would take longer than the budget, extrapolated linearly
// from the chain's previous N. Returns why the point is skipped, or "".
std::string over_budget(const Grid& grid, const std::map<Chain, Previous>& previous, const Chain& chain,
                        std::uint64_t n) {
  const auto last = previous.find(chain);
  if (last == previous.end()) return {};
  if (!last->second) return "a smaller N was over the budget of " + ptut::format_seconds(grid.budget_seconds);
  const auto [last_n, last_median] = *last->second;
  const double estimate = last_median * static_cast<double>(n) / static_cast<double>(last_n);
  if (estimate <= grid.budget_seconds) return {};
  return "estimated " + ptut::format_seconds(estimate) + " a run, over the budget of " +
         ptut::format_seconds(grid.budget_seconds);
}

// One run of an approach: its chapter's own time, or an exception naming the
// approach and the point (a Ctrl-C passes through, for the program to end by it).
double time_one_run(const Approach& approach, std::uint64_t n, unsigned workers, unsigned work) {
  const std::string where = approach.name + " with N = " + std::to_string(n) + ", " + std::to_string(workers) +
                            (workers == 1 ? " worker" : " workers") + ", work " + std::to_string(work);
  ptut::RunResult result;
  try {
    result = approach.run(n, workers, work);
  } catch (const ptut::RunFailed& failure) {
    if (failure.signal() != 0) throw;
    throw std::runtime_error(where + ": " + failure.what());
  } catch (const std::exception& failure) {
    throw std::runtime_error(where + ": " + failure.what());
  }
  const std::uint64_t expected = ptut::closed_form({1, n + 1});
  if (result.sum != expected) {
    throw std::runtime_error(where + ": sum " + std::to_string(result.sum) + ", expected " + std::to_string(expected));
  }
  return result.seconds;
}

}  // namespace

// [measure]
Dataset measure(const Grid& grid, const OnRun& on_run) {
  Dataset dataset{grid, ptut::to_json(ptut::describe_machine()), utc_now(), {}};
  const Approach& loop = find_approach("ch01.loop");
  std::size_t total = 0;
  for (const std::string& name : grid.approaches) {
    const bool serial = find_approach(name).sharing == Sharing::serial;
    total += grid.works.size() * grid.ns.size() * (serial ? 1 : grid.workers.size());
  }
  std::map<Chain, Previous> previous;
  for (const unsigned work : grid.works) {
    for (const std::uint64_t n : grid.ns) {
      for (const std::string& name : grid.approaches) {
        const Approach& approach = find_approach(name);
        // The worker counts of one (approach, N, work), measured side by side.
        std::vector<Point> group;
        for (const unsigned workers : grid.workers) {
          if (approach.sharing == Sharing::serial && workers != 1) continue;
          group.push_back({name, n, workers, work, {}, {}, over_budget(grid, previous, {name, workers, work}, n)});
        }
        const bool any = std::any_of(group.begin(), group.end(), [](const Point& p) { return p.skipped.empty(); });
        const bool with_loop = any && approach.sharing != Sharing::serial;
        std::vector<double> loop_seconds;
        // Round by round: each worker count once, then the loop it is compared with.
        for (unsigned run = 0; run < grid.warmup + grid.repeat; ++run) {
          const bool timed = run >= grid.warmup;
          for (Point& point : group) {
            if (!point.skipped.empty()) continue;
            if (on_run) on_run(point, timed ? run - grid.warmup + 1 : 0, dataset.points.size(), total);
            const double seconds = time_one_run(approach, n, point.workers, work);
            if (timed) point.seconds.push_back(seconds);
          }
          if (with_loop) {
            const double seconds = time_one_run(loop, n, 1, work);
            if (timed) loop_seconds.push_back(seconds);
          }
        }
        for (Point& point : group) {
          const Chain chain{name, point.workers, work};
          if (point.skipped.empty()) {
            point.serial_seconds = loop_seconds;
            previous[chain] = std::pair{n, spread_of(point.seconds).median};
          } else {
            previous[chain] = std::nullopt;  // the chain stops here
          }
          dataset.points.push_back(std::move(point));
        }
      }
    }
  }
  return dataset;
}
// [measure]

std::vector<Row> derive(const Dataset& dataset) {
  std::map<std::tuple<std::string, std::uint64_t, unsigned, unsigned>, double> medians;
  std::vector<Row> rows;
  for (const Point& point : dataset.points) {
    Row row;
    row.point = point;
    if (point.skipped.empty() && !point.seconds.empty()) {
      row.time = spread_of(point.seconds);
      medians[{point.approach, point.n, point.workers, point.work}] = row.time->median;
    }
    rows.push_back(std::move(row));
  }
  for (Row& row : rows) {
    if (!row.time || !(row.time->median > 0)) continue;
    const Point& p = row.point;
    const auto one = medians.find({p.approach, p.n, 1U, p.work});
    if (one != medians.end() && one->second > 0) {
      row.vs_one_worker = speedup(one->second, row.time->median);
      row.efficiency = efficiency(*row.vs_one_worker, p.workers);
      row.karp_flatt = karp_flatt(*row.vs_one_worker, p.workers);
    }
    if (!p.serial_seconds.empty()) {
      row.serial_median = spread_of(p.serial_seconds).median;
    } else if (const auto serial = medians.find({"ch01.loop", p.n, 1U, p.work}); serial != medians.end()) {
      row.serial_median = serial->second;  // the loop itself, or a dataset without side-by-side baselines
    }
    if (row.serial_median && *row.serial_median > 0) row.vs_serial = speedup(*row.serial_median, row.time->median);
  }
  return rows;
}

std::vector<Crossover> crossovers(const std::vector<Row>& rows) {
  std::map<std::pair<std::string, unsigned>, std::map<std::uint64_t, Pair>> pairs;
  std::vector<std::pair<std::string, unsigned>> order;
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (!row.time || (p.workers != 1 && p.workers != 2)) continue;
    if (find_approach(p.approach).sharing == Sharing::serial) continue;
    const std::pair<std::string, unsigned> key{p.approach, p.work};
    if (!pairs.count(key)) order.push_back(key);
    Pair& pair = pairs[key][p.n];
    pair.n = p.n;
    (p.workers == 1 ? pair.one_worker : pair.two_workers) = row.time->median;
  }
  std::vector<Crossover> result;
  for (const auto& key : order) {
    std::vector<Pair> complete;
    for (const auto& [n, pair] : pairs[key]) {
      if (pair.one_worker > 0 && pair.two_workers > 0) complete.push_back(pair);
    }
    if (complete.size() < 2) continue;  // one N says nothing about where the curves cross
    result.push_back({key.first, key.second, crossover(complete), complete.back().n});
  }
  return result;
}

Dataset add_points(Dataset dataset, const Dataset& added) {
  const Grid& a = dataset.grid;
  const Grid& b = added.grid;
  if (a.ns != b.ns || a.workers != b.workers || a.works != b.works || a.repeat != b.repeat || a.warmup != b.warmup ||
      a.budget_seconds != b.budget_seconds || b.approaches.size() != 1) {
    throw std::invalid_argument("the points to add were not measured over the dataset's grid, or are of several approaches");
  }
  const std::string& name = b.approaches.front();
  std::erase_if(dataset.points, [&](const Point& p) { return p.approach == name; });
  for (const Point& p : added.points) {
    if (p.approach == name) dataset.points.push_back(p);
  }
  std::vector<std::string> listed;
  for (const Approach& approach : approaches()) {  // chapter order
    const bool in_grid = std::find(a.approaches.begin(), a.approaches.end(), approach.name) != a.approaches.end();
    if (in_grid || approach.name == name) listed.push_back(approach.name);
  }
  dataset.grid.approaches = listed;
  dataset.measured_at += "; " + name + " added " + added.measured_at;
  return dataset;
}

nlohmann::json to_json(const Dataset& dataset) {
  nlohmann::json points = nlohmann::json::array();
  for (const Point& p : dataset.points) {
    nlohmann::json point = {{"approach", p.approach}, {"n", p.n}, {"workers", p.workers}, {"work", p.work},
                            {"seconds", p.seconds}};
    if (!p.serial_seconds.empty()) point["serial_seconds"] = p.serial_seconds;
    if (!p.skipped.empty()) point["skipped"] = p.skipped;
    points.push_back(point);
  }
  nlohmann::json derived = nlohmann::json::array();
  for (const Row& row : derive(dataset)) {
    if (!row.time) continue;
    auto optional = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    derived.push_back({{"approach", row.point.approach}, {"n", row.point.n}, {"workers", row.point.workers},
                       {"work", row.point.work}, {"median", row.time->median}, {"min", row.time->min},
                       {"max", row.time->max}, {"speedup_vs_one_worker", optional(row.vs_one_worker)},
                       {"speedup_vs_serial", optional(row.vs_serial)}, {"efficiency", optional(row.efficiency)},
                       {"karp_flatt", optional(row.karp_flatt)}});
  }
  nlohmann::json crossing = nlohmann::json::array();
  for (const Crossover& c : crossovers(derive(dataset))) {
    crossing.push_back({{"approach", c.approach}, {"work", c.work},
                        {"n", c.n ? nlohmann::json(*c.n) : nlohmann::json(nullptr)}, {"largest_n", c.largest_n}});
  }
  const Grid& g = dataset.grid;
  return {{"format", "ptut-ch07-measurements-1"},
          {"grid", {{"name", g.name}, {"ns", g.ns}, {"workers", g.workers}, {"works", g.works},
                    {"approaches", g.approaches}, {"repeat", g.repeat}, {"warmup", g.warmup},
                    {"budget_seconds", g.budget_seconds}}},
          {"machine", dataset.machine},
          {"measured_at", dataset.measured_at},
          {"points", points},
          {"derived", derived},
          {"crossovers", crossing}};
}

Dataset dataset_from_json(const nlohmann::json& json) {
  try {
    if (json.at("format") != "ptut-ch07-measurements-1") throw std::runtime_error("not a chapter 7 measurement file");
    Dataset dataset;
    const nlohmann::json& g = json.at("grid");
    dataset.grid.name = g.at("name").get<std::string>();
    dataset.grid.ns = g.at("ns").get<std::vector<std::uint64_t>>();
    dataset.grid.workers = g.at("workers").get<std::vector<unsigned>>();
    dataset.grid.works = g.at("works").get<std::vector<unsigned>>();
    dataset.grid.approaches = g.at("approaches").get<std::vector<std::string>>();
    dataset.grid.repeat = g.at("repeat").get<unsigned>();
    dataset.grid.warmup = g.at("warmup").get<unsigned>();
    dataset.grid.budget_seconds = g.at("budget_seconds").get<double>();
    dataset.machine = json.at("machine");
    dataset.measured_at = json.at("measured_at").get<std::string>();
    for (const nlohmann::json& p : json.at("points")) {
      Point point;
      point.approach = p.at("approach").get<std::string>();
      (void)find_approach(point.approach);  // an unknown name throws
      point.n = p.at("n").get<std::uint64_t>();
      point.workers = p.at("workers").get<unsigned>();
      point.work = p.at("work").get<unsigned>();
      point.seconds = p.at("seconds").get<std::vector<double>>();
      point.serial_seconds = p.value("serial_seconds", std::vector<double>());
      point.skipped = p.value("skipped", std::string());
      if (point.workers == 0) throw std::runtime_error("a point with 0 workers");
      if (point.skipped.empty() && point.seconds.empty()) throw std::runtime_error("a point with no timings");
      for (const double s : point.seconds) {
        if (!std::isfinite(s) || s < 0) throw std::runtime_error("a timing that is not a non-negative number");
      }
      for (const double s : point.serial_seconds) {
        if (!std::isfinite(s) || s < 0) throw std::runtime_error("a timing that is not a non-negative number");
      }
      dataset.points.push_back(std::move(point));
    }
    return dataset;
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("malformed measurement file: ") + error.what());
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(std::string("malformed measurement file: ") + error.what());
  }
}

namespace {

std::string fixed(double value, int digits) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(digits) << value;
  return text.str();
}

// A ratio with the digits that matter: 1.57, 0.25, but 0.0031 rather than 0.00.
std::string ratio(double value, int digits) {
  if (std::abs(value) >= 0.1 || value == 0) return fixed(value, digits);
  std::ostringstream text;
  text << std::setprecision(2) << value;
  return text.str();
}

std::string optional_text(const std::optional<double>& value, int digits) {
  return value ? ratio(*value, digits) : "–";
}

// Display width of UTF-8 text: "×", "–" and "µ" are one column but two bytes.
std::size_t columns(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A plain-text table with a header and right-aligned columns (the first left-aligned).
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  [[nodiscard]] bool empty() const { return rows_.size() == 1; }
  void print(std::ostream& out) const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& row : rows_) {
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], columns(row[c]));
    }
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      std::string line = " ";
      for (std::size_t c = 0; c < rows_[r].size(); ++c) {
        const std::string pad(width[c] - columns(rows_[r][c]), ' ');
        line += c == 0 ? " " + rows_[r][c] + pad : "  " + pad + rows_[r][c];
      }
      out << line << '\n';
      if (r == 0) {
        std::size_t total = 1;
        for (std::size_t c = 0; c < width.size(); ++c) total += width[c] + (c == 0 ? 1 : 2);
        out << "  " << std::string(total - 2, '-') << '\n';
      }
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string spread_text(const Spread& s) {
  return ptut::format_seconds(s.min) + "–" + ptut::format_seconds(s.max);
}

const Row* find_row(const std::vector<Row>& rows, const std::string& approach, std::uint64_t n, unsigned workers,
                    unsigned work) {
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (p.approach == approach && p.n == n && p.workers == workers && p.work == work && row.time) return &row;
  }
  return nullptr;
}

// The row of `approach` with 2 workers and `--work` at the largest N where
// `figure` (a speedup) could be derived, or nullptr.
const Row* largest_n_with_two_workers(const std::vector<Row>& rows, const std::string& approach, unsigned work,
                                      std::optional<double> Row::*figure) {
  const Row* largest = nullptr;
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (p.approach == approach && p.workers == 2 && p.work == work && row.*figure &&
        (largest == nullptr || p.n > largest->point.n)) {
      largest = &row;
    }
  }
  return largest;
}

bool measured(const Dataset& dataset, std::uint64_t n, unsigned work) {
  return std::find(dataset.grid.ns.begin(), dataset.grid.ns.end(), n) != dataset.grid.ns.end() &&
         std::find(dataset.grid.works.begin(), dataset.grid.works.end(), work) != dataset.grid.works.end();
}

void print_machine(const nlohmann::json& machine, std::ostream& out) {
  auto text = [&](const char* key) { return machine.value(key, std::string("unknown")); };
  out << "  CPU " << text("cpu_model") << ", " << machine.value("usable_cores", 0) << " usable cores ("
      << machine.value("logical_cores", 0) << " logical)\n"
      << "  " << text("compiler") << ", " << text("cxx_standard") << ", " << text("build") << '\n';
}

void print_every_point(const std::vector<Row>& rows, std::ostream& out) {
  Table table({"approach", "N", "K", "work", "median", "min–max", "×1 worker", "×serial", "efficiency", "Karp–Flatt"});
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (!row.time) {
      table.add({p.approach, size_text(p.n), std::to_string(p.workers), std::to_string(p.work), "skipped", "", "", "",
                 "", ""});
      continue;
    }
    table.add({p.approach, size_text(p.n), std::to_string(p.workers), std::to_string(p.work),
               ptut::format_seconds(row.time->median), spread_text(*row.time), optional_text(row.vs_one_worker, 2),
               optional_text(row.vs_serial, 2), optional_text(row.efficiency, 2), optional_text(row.karp_flatt, 3)});
  }
  out << "Every point (median of the timed runs; ×1 worker and ×serial are speedups, above 1 is faster;\n"
         "×serial is against chapter 1's loop, timed in turn with the point's runs):\n";
  table.print(out);
}

void print_crossovers(const std::vector<Row>& rows, const Dataset& dataset, std::ostream& out) {
  std::vector<std::string> header = {"approach", "workers are"};
  for (const unsigned work : dataset.grid.works) header.push_back("work " + std::to_string(work));
  Table table(header);
  const std::vector<Crossover> all = crossovers(rows);
  for (const std::string& name : dataset.grid.approaches) {
    const Approach& a = find_approach(name);
    if (a.sharing == Sharing::serial) continue;
    std::vector<std::string> line = {name, a.workers_are};
    bool any = false;
    for (const unsigned work : dataset.grid.works) {
      std::string cell = "–";
      for (const Crossover& c : all) {
        if (c.approach != name || c.work != work) continue;
        cell = c.n ? "N ≥ " + size_text(*c.n) : "not up to " + size_text(c.largest_n);
        any = true;
      }
      line.push_back(cell);
    }
    if (any) table.add(line);
  }
  if (table.empty()) return;
  out << "\nWhere 2 workers start to beat 1 (the smallest N measured from which they are more than 5% faster\n"
         "at every larger N):\n";
  table.print(out);
}

void print_article_claim(const std::vector<Row>& rows, const Dataset& dataset, std::ostream& out) {
  const std::vector<std::uint64_t> sizes = {1'000'000, 2'000'000};
  if (!measured(dataset, sizes[0], 0) && !measured(dataset, sizes[1], 0)) return;
  Table table({"approach", "N", "1 worker", "2 workers", "×1 worker", "×serial"});
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing == Sharing::serial) continue;
    for (const std::uint64_t n : sizes) {
      const Row* one = find_row(rows, name, n, 1, 0);
      const Row* two = find_row(rows, name, n, 2, 0);
      if (one == nullptr || two == nullptr) continue;
      table.add({name, size_text(n), ptut::format_seconds(one->time->median), ptut::format_seconds(two->time->median),
                 optional_text(two->vs_one_worker, 2), optional_text(two->vs_serial, 2)});
    }
  }
  if (table.empty()) return;
  const Row* serial = find_row(rows, "ch01.loop", sizes[1], 1, 0);
  out << "\nThe article's claim, \"1–2 million and you will see the speedup\" (work 0";
  if (serial != nullptr) out << "; the serial loop takes " << ptut::format_seconds(serial->time->median) << " at N = 2·10^6";
  out << "):\n";
  table.print(out);
}

void print_compute_bound(const std::vector<Row>& rows, const Dataset& dataset, std::ostream& out) {
  if (dataset.grid.works.empty()) return;
  const unsigned work = *std::max_element(dataset.grid.works.begin(), dataset.grid.works.end());
  if (work == 0) return;
  const bool has_four = std::find(dataset.grid.workers.begin(), dataset.grid.workers.end(), 4U) != dataset.grid.workers.end();
  std::vector<std::string> header = {"approach", "N", "2 workers ×1", "efficiency", "Karp–Flatt e", "Amdahl S(4)"};
  if (has_four) {
    header.push_back("4 workers ×1");
    header.push_back("e at 4");
  }
  header.push_back("×serial");
  Table table(header);
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing == Sharing::serial) continue;
    const Row* two = largest_n_with_two_workers(rows, name, work, &Row::vs_one_worker);
    if (two == nullptr) continue;
    std::vector<std::string> line = {name, size_text(two->point.n), optional_text(two->vs_one_worker, 2),
                                     optional_text(two->efficiency, 2), optional_text(two->karp_flatt, 3),
                                     two->karp_flatt && *two->karp_flatt >= 0 && *two->karp_flatt <= 1
                                         ? fixed(amdahl_speedup(*two->karp_flatt, 4), 2)
                                         : "–"};
    if (has_four) {
      const Row* four = find_row(rows, name, two->point.n, 4, work);
      line.push_back(four ? optional_text(four->vs_one_worker, 2) : "–");
      line.push_back(four ? optional_text(four->karp_flatt, 3) : "–");
    }
    line.push_back(optional_text(two->vs_serial, 2));
    table.add(line);
  }
  if (table.empty()) return;
  out << "\nCompute-bound (work " << work
      << ", the largest N with 2 workers measured): speedup, the serial fraction e it implies,\n"
         "and what Amdahl's law predicts with that e for 4 workers on 4 free cores (when 0 ≤ e ≤ 1):\n";
  table.print(out);
}

void print_sharing_cost(const std::vector<Row>& rows, const Dataset& dataset, std::ostream& out) {
  Table table({"approach", "N", "work", "K", "time", "serial loop", "× slower than serial"});
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing != Sharing::per_element) continue;
    for (const unsigned work : dataset.grid.works) {
      const Row* best = largest_n_with_two_workers(rows, name, work, &Row::vs_serial);
      if (best == nullptr) continue;
      table.add({name, size_text(best->point.n), std::to_string(work), "2", ptut::format_seconds(best->time->median),
                 ptut::format_seconds(*best->serial_median), fixed(1 / *best->vs_serial, 1)});
    }
  }
  if (table.empty()) return;
  out << "\nUpdating shared state for every element, against the serial loop timed beside it (largest N measured):\n";
  table.print(out);
}

}  // namespace

std::string size_text(std::uint64_t n) {
  if (n < 1000) return std::to_string(n);
  unsigned exponent = 0;
  std::uint64_t mantissa = n;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  if (exponent < 3 || mantissa >= 10) return std::to_string(n);
  return (mantissa == 1 ? "" : std::to_string(mantissa) + "·") + "10^" + std::to_string(exponent);
}

void write_csv(const std::vector<Row>& rows, std::ostream& out) {
  out << "approach,chapter,workers_are,sharing,n,workers,work,runs,median_s,min_s,max_s,"
         "speedup_vs_one_worker,speedup_vs_serial,efficiency,karp_flatt,skipped\n";
  auto number = [](const std::optional<double>& v) {
    if (!v) return std::string();
    std::ostringstream text;
    text << std::setprecision(9) << *v;
    return text.str();
  };
  for (const Row& row : rows) {
    const Point& p = row.point;
    const Approach& a = find_approach(p.approach);
    std::string skipped = p.skipped;
    std::replace(skipped.begin(), skipped.end(), ',', ';');  // no quoting needed
    out << p.approach << ',' << a.chapter << ',' << a.workers_are << ',' << to_string(a.sharing) << ',' << p.n << ','
        << p.workers << ',' << p.work << ',' << p.seconds.size() << ','
        << number(row.time ? std::optional<double>(row.time->median) : std::nullopt) << ','
        << number(row.time ? std::optional<double>(row.time->min) : std::nullopt) << ','
        << number(row.time ? std::optional<double>(row.time->max) : std::nullopt) << ',' << number(row.vs_one_worker)
        << ',' << number(row.vs_serial) << ',' << number(row.efficiency) << ',' << number(row.karp_flatt) << ','
        << skipped << '\n';
  }
}

void print_report(const Dataset& dataset, bool every_point, std::ostream& out) {
  const std::vector<Row> rows = derive(dataset);
  std::size_t timed = 0, skipped = 0;
  for (const Row& row : rows) (row.time ? timed : skipped) += 1;
  out << "Chapter 7: measuring, the " << dataset.grid.name << " grid, measured " << dataset.measured_at << " on\n";
  print_machine(dataset.machine, out);
  out << "  " << timed << " points timed (" << dataset.grid.warmup << " warm-up + " << dataset.grid.repeat
      << " timed runs each), " << skipped << " skipped as over the budget of "
      << ptut::format_seconds(dataset.grid.budget_seconds) << " a run\n\n";
  if (every_point) print_every_point(rows, out);
  print_crossovers(rows, dataset, out);
  print_article_claim(rows, dataset, out);
  print_compute_bound(rows, dataset, out);
  print_sharing_cost(rows, dataset, out);
}

void write_plot_data(const Dataset& dataset, const std::string& prefix) {
  const std::vector<Row> rows = derive(dataset);
  auto open = [](const std::string& path) {
    std::ofstream file(path);
    if (!file) throw std::runtime_error("cannot write " + path);
    file << std::setprecision(9);
    return file;
  };
  // The plots' titles name the machine and the day.
  {
    std::ofstream file = open(prefix + "_machine.txt");
    file << dataset.machine.value("cpu_model", std::string("unknown CPU")) << ", "
         << dataset.machine.value("usable_cores", 0) << " cores, " << dataset.measured_at.substr(0, 10) << '\n';
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Which `--work` values there are (a time panel each); the speedups are of the last.
  {
    std::ofstream file = open(prefix + "_works.txt");
    for (const unsigned work : dataset.grid.works) file << work << ' ';
    file << '\n';
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Time against N: the serial loop, and every other approach with 2 workers.
  for (const unsigned work : dataset.grid.works) {
    std::ofstream file = open(prefix + "_time_work" + std::to_string(work) + ".dat");
    for (const std::string& name : dataset.grid.approaches) {
      const unsigned workers = find_approach(name).sharing == Sharing::serial ? 1 : 2;
      std::ostringstream block;
      for (const Row& row : rows) {
        const Point& p = row.point;
        if (p.approach != name || p.workers != workers || p.work != work || !row.time) continue;
        block << p.n << ' ' << row.time->median << ' ' << row.time->min << ' ' << row.time->max << '\n';
      }
      if (block.str().empty()) continue;
      file << '"' << name << (workers == 1 ? "" : ", 2 workers") << "\"\n" << block.str() << "\n\n";
    }
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Speedup against workers, at the largest N where every worker count was measured.
  const unsigned work = dataset.grid.works.empty() ? 0 : dataset.grid.works.back();
  std::ofstream file = open(prefix + "_speedup.dat");
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing == Sharing::serial) continue;
    std::optional<std::uint64_t> largest;
    for (const std::uint64_t n : dataset.grid.ns) {
      bool all = true;
      for (const unsigned workers : dataset.grid.workers) all = all && find_row(rows, name, n, workers, work) != nullptr;
      if (all) largest = n;
    }
    if (!largest) continue;
    file << '"' << name << ", N = " << size_text(*largest) << "\"\n";
    for (const unsigned workers : dataset.grid.workers) {
      const Row* row = find_row(rows, name, *largest, workers, work);
      file << workers << ' ' << row->vs_one_worker.value_or(0) << '\n';
    }
    file << "\n\n";
  }
  if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
}

std::vector<Overhead> overheads_from_json(const nlohmann::json& json) {
  std::vector<Overhead> result;
  try {
    for (const nlohmann::json& b : json.at("benchmarks")) {
      if (b.value("run_type", "iteration") != "iteration") continue;  // aggregates, if asked for
      if (b.contains("error_occurred") && b.at("error_occurred").get<bool>()) continue;
      std::string name = b.at("name").get<std::string>();
      // Google Benchmark appends "/real_time", "/threads:2" and the like; the
      // implementation's own name may hold a '/' ("read/write").
      static const std::regex suffix(R"(/(real_time|manual_time|threads:\d+|min_time:[0-9.]+|iterations:\d+|repeats:\d+)$)");
      for (std::smatch match; std::regex_search(name, match, suffix);) name.erase(static_cast<std::size_t>(match.position(0)));
      const std::size_t bar = name.find(" | ");
      if (bar == std::string::npos) throw std::runtime_error("benchmark '" + name + "' is not named 'operation | implementation'");
      const std::string unit = b.value("time_unit", "ns");
      const double scale = unit == "ns" ? 1 : unit == "us" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9 : 0;
      if (scale == 0) throw std::runtime_error("unknown time unit '" + unit + "'");
      result.push_back({name.substr(0, bar), name.substr(bar + 3), b.at("real_time").get<double>() * scale});
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("malformed benchmark file: ") + error.what());
  }
  if (result.empty()) throw std::runtime_error("the benchmark file holds no result");
  return result;
}

void print_overheads(const std::vector<Overhead>& overheads, std::ostream& out) {
  Table table({"operation", "implementation", "time", "× the first"});
  std::string operation;
  double first = 0;
  for (const Overhead& o : overheads) {
    if (o.operation != operation) {
      operation = o.operation;
      first = o.nanoseconds;
    }
    table.add({o.operation, o.implementation, ptut::format_seconds(o.nanoseconds * 1e-9),
               first > 0 ? fixed(o.nanoseconds / first, 2) : "–"});
  }
  out << "\nWhat each step costs (Google Benchmark, real time per operation; each abstraction,\n"
         "then the raw call it wraps):\n";
  table.print(out);
}

void write_overhead_data(const std::vector<Overhead>& overheads, const std::string& prefix) {
  const std::string path = prefix + "_overheads.dat";
  std::ofstream file(path);
  if (!file) throw std::runtime_error("cannot write " + path);
  file << std::setprecision(9);
  // Row, label, nanoseconds, and 0 for an operation's first row (the abstraction), 1 for the rest.
  for (std::size_t i = 0; i < overheads.size(); ++i) {
    const Overhead& o = overheads[i];
    const bool first = i == 0 || overheads[i - 1].operation != o.operation;
    file << i << " \"" << o.operation << ": " << o.implementation << "\" " << o.nanoseconds << ' ' << (first ? 0 : 1)
         << '\n';
  }
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace ch07
