// Chapter 7's dataset: the figures derived from its timings (speedups,
// Karp–Flatt, crossovers), and reading and writing it as JSON and CSV.
#include "measuring.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "ptut/cli.hpp"

namespace ch07 {

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
    if (one != medians.end() && one->second > 0)
      row.vs_one_worker = speedup(one->second, row.time->median);
    if (!p.serial_seconds.empty()) {
      row.serial_median = spread_of(p.serial_seconds).median;
    } else if (const auto serial = medians.find({kBaseline, p.n, 1U, p.work});
               serial != medians.end()) {
      // the loop itself, or a dataset without side-by-side baselines
      row.serial_median = serial->second;
    }
    // Efficiency and Karp–Flatt on the loop's baseline, not the approach's own one
    // worker: a worker slower than the loop is part of what the approach costs, and
    // a speedup over itself would hide it (Bailey's first way to fool the masses).
    if (row.serial_median && *row.serial_median > 0) {
      row.vs_serial = speedup(*row.serial_median, row.time->median);
      row.efficiency = efficiency(*row.vs_serial, p.workers);
      row.karp_flatt = karp_flatt(*row.vs_serial, p.workers);
    }
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
  if (a.ns != b.ns || a.workers != b.workers || a.works != b.works ||
      a.repeat != b.repeat || a.warmup != b.warmup ||
      a.budget_seconds != b.budget_seconds || b.approaches.size() != 1) {
    throw std::invalid_argument(
        "the points to add were not measured over the dataset's grid, or are of several "
        "approaches");
  }
  const std::string& name = b.approaches.front();
  std::erase_if(dataset.points, [&](const Point& p) { return p.approach == name; });
  for (const Point& p : added.points) {
    if (p.approach == name) dataset.points.push_back(p);
  }
  std::vector<std::string> listed;
  for (const Approach& approach : approaches()) {  // chapter order
    const bool in_grid = std::find(a.approaches.begin(), a.approaches.end(),
                                   approach.name) != a.approaches.end();
    if (in_grid || approach.name == name) listed.push_back(approach.name);
  }
  dataset.grid.approaches = listed;
  dataset.measured_at += "; " + name + " added " + added.measured_at;
  return dataset;
}

nlohmann::json to_json(const Dataset& dataset) {
  nlohmann::json points = nlohmann::json::array();
  for (const Point& p : dataset.points) {
    nlohmann::json point = {{"approach", p.approach},
                            {"n", p.n},
                            {"workers", p.workers},
                            {"work", p.work},
                            {"seconds", p.seconds}};
    if (!p.serial_seconds.empty()) point["serial_seconds"] = p.serial_seconds;
    if (!p.skipped.empty()) point["skipped"] = p.skipped;
    points.push_back(point);
  }
  nlohmann::json derived = nlohmann::json::array();
  for (const Row& row : derive(dataset)) {
    if (!row.time) continue;
    auto optional = [](const std::optional<double>& v) {
      return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    derived.push_back({{"approach", row.point.approach},
                       {"n", row.point.n},
                       {"workers", row.point.workers},
                       {"work", row.point.work},
                       {"median", row.time->median},
                       {"min", row.time->min},
                       {"max", row.time->max},
                       {"speedup_vs_one_worker", optional(row.vs_one_worker)},
                       {"speedup_vs_serial", optional(row.vs_serial)},
                       {"efficiency", optional(row.efficiency)},
                       {"karp_flatt", optional(row.karp_flatt)}});
  }
  nlohmann::json crossing = nlohmann::json::array();
  for (const Crossover& c : crossovers(derive(dataset))) {
    crossing.push_back({{"approach", c.approach},
                        {"work", c.work},
                        {"n", c.n ? nlohmann::json(*c.n) : nlohmann::json(nullptr)},
                        {"largest_n", c.largest_n}});
  }
  const Grid& g = dataset.grid;
  return {{"format", "ptut-ch07-measurements-1"},
          {"grid",
           {{"name", g.name},
            {"ns", g.ns},
            {"workers", g.workers},
            {"works", g.works},
            {"approaches", g.approaches},
            {"repeat", g.repeat},
            {"warmup", g.warmup},
            {"budget_seconds", g.budget_seconds}}},
          {"machine", dataset.machine},
          {"measured_at", dataset.measured_at},
          {"points", points},
          {"derived", derived},
          {"crossovers", crossing}};
}

Dataset dataset_from_json(const nlohmann::json& json) {
  try {
    if (json.at("format") != "ptut-ch07-measurements-1")
      throw std::runtime_error("not a chapter 7 measurement file");
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
      if (point.skipped.empty() && point.seconds.empty())
        throw std::runtime_error("a point with no timings");
      for (const double s : point.seconds) {
        if (!std::isfinite(s) || s < 0)
          throw std::runtime_error("a timing that is not a non-negative number");
      }
      for (const double s : point.serial_seconds) {
        if (!std::isfinite(s) || s < 0)
          throw std::runtime_error("a timing that is not a non-negative number");
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

const Row* find_row(const std::vector<Row>& rows, const std::string& approach,
                    std::uint64_t n, unsigned workers, unsigned work) {
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (p.approach == approach && p.n == n && p.workers == workers && p.work == work &&
        row.time)
      return &row;
  }
  return nullptr;
}

std::string size_text(std::uint64_t n) {
  if (n < 1000) return std::to_string(n);
  unsigned exponent = 0;
  std::uint64_t mantissa = n;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  if (exponent < 3 || mantissa >= 10) return std::to_string(n);
  return (mantissa == 1 ? "" : std::to_string(mantissa) + "·") + "10^" +
         std::to_string(exponent);
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
    out << p.approach << ',' << a.chapter << ',' << a.workers_are << ','
        << to_string(a.sharing) << ',' << p.n << ',' << p.workers << ',' << p.work << ','
        << p.seconds.size() << ','
        << number(row.time ? std::optional<double>(row.time->median) : std::nullopt)
        << ',' << number(row.time ? std::optional<double>(row.time->min) : std::nullopt)
        << ',' << number(row.time ? std::optional<double>(row.time->max) : std::nullopt)
        << ',' << number(row.vs_one_worker) << ',' << number(row.vs_serial) << ','
        << number(row.efficiency) << ',' << number(row.karp_flatt) << ',' << skipped
        << '\n';
  }
}

namespace {

// Google Benchmark's time units, in nanoseconds.
constexpr ptut::Named<double> kTimeUnits[] = {
    {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};

}  // namespace

std::vector<Overhead> overheads_from_json(const nlohmann::json& json) {
  std::vector<Overhead> result;
  try {
    for (const nlohmann::json& b : json.at("benchmarks")) {
      // aggregates, if asked for
      if (b.value("run_type", "iteration") != "iteration") continue;
      if (b.contains("error_occurred") && b.at("error_occurred").get<bool>()) continue;
      std::string name = b.at("name").get<std::string>();
      // Google Benchmark appends "/real_time", "/threads:2" and the like; the
      // implementation's own name may hold a '/' ("read/write").
      static const std::regex suffix(
          R"(/(real_time|manual_time|threads:\d+|min_time:[0-9.]+|)"
          R"(iterations:\d+|repeats:\d+)$)");
      for (std::smatch match; std::regex_search(name, match, suffix);)
        name.erase(static_cast<std::size_t>(match.position(0)));
      const std::size_t bar = name.find(" | ");
      if (bar == std::string::npos)
        throw std::runtime_error("benchmark '" + name +
                                 "' is not named 'operation | implementation'");
      const std::string unit = b.value("time_unit", "ns");
      double scale = 0;
      try {
        scale = ptut::named_value(kTimeUnits, unit);
      } catch (const std::invalid_argument&) {
        throw std::runtime_error("unknown time unit '" + unit + "'");
      }
      result.push_back({name.substr(0, bar), name.substr(bar + 3),
                        b.at("real_time").get<double>() * scale});
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(std::string("malformed benchmark file: ") + error.what());
  }
  if (result.empty()) throw std::runtime_error("the benchmark file holds no result");
  return result;
}

}  // namespace ch07
