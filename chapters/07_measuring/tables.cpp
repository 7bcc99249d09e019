// Chapter 7's text tables: what the driver prints, from the derived rows.
#include "measuring.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "ptut/timing.hpp"

namespace ch07 {
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
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
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
      for (std::size_t c = 0; c < row.size(); ++c)
        width[c] = std::max(width[c], columns(row[c]));
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
        for (std::size_t c = 0; c < width.size(); ++c)
          total += width[c] + (c == 0 ? 1 : 2);
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

// The row of `approach` with 2 workers and `--work` at the largest N where
// `figure` (a speedup) could be derived, or nullptr.
const Row* largest_n_with_two_workers(const std::vector<Row>& rows,
                                      const std::string& approach, unsigned work,
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
  return std::find(dataset.grid.ns.begin(), dataset.grid.ns.end(), n) !=
             dataset.grid.ns.end() &&
         std::find(dataset.grid.works.begin(), dataset.grid.works.end(), work) !=
             dataset.grid.works.end();
}

void print_machine(const nlohmann::json& machine, std::ostream& out) {
  auto text = [&](const char* key) { return machine.value(key, std::string("unknown")); };
  out << "  CPU " << text("cpu_model") << ", " << machine.value("usable_cores", 0)
      << " usable cores (" << machine.value("logical_cores", 0) << " logical)\n"
      << "  " << text("compiler") << ", " << text("cxx_standard") << ", " << text("build")
      << '\n';
}

void print_every_point(const std::vector<Row>& rows, std::ostream& out) {
  Table table({"approach", "N", "K", "work", "median", "min–max", "×serial", "efficiency",
               "Karp–Flatt", "×1 worker"});
  for (const Row& row : rows) {
    const Point& p = row.point;
    if (!row.time) {
      table.add({p.approach, size_text(p.n), std::to_string(p.workers),
                 std::to_string(p.work), "skipped", "", "", "", "", ""});
      continue;
    }
    table.add({p.approach, size_text(p.n), std::to_string(p.workers),
               std::to_string(p.work), ptut::format_seconds(row.time->median),
               spread_text(*row.time), optional_text(row.vs_serial, 2),
               optional_text(row.efficiency, 2), optional_text(row.karp_flatt, 3),
               optional_text(row.vs_one_worker, 2)});
  }
  out << "Every point (median of the timed runs; ×serial is the speedup over chapter "
         "1's loop, timed in\n"
         "turn with the point's runs, above 1 is faster; efficiency and Karp–Flatt are "
         "on it; ×1 worker is\n"
         "over the approach's own run with one worker):\n";
  table.print(out);
}

void print_crossovers(const std::vector<Row>& rows, const Dataset& dataset,
                      std::ostream& out) {
  std::vector<std::string> header = {"approach", "workers are"};
  for (const unsigned work : dataset.grid.works)
    header.push_back("work " + std::to_string(work));
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
  out << "\nWhere 2 workers start to beat 1 (the smallest N measured from which they are "
         "more than 5% faster\n"
         "at every larger N):\n";
  table.print(out);
}

void print_article_claim(const std::vector<Row>& rows, const Dataset& dataset,
                         std::ostream& out) {
  const std::vector<std::uint64_t> sizes = {1'000'000, 2'000'000};
  if (!measured(dataset, sizes[0], 0) && !measured(dataset, sizes[1], 0)) return;
  Table table({"approach", "N", "1 worker", "2 workers", "×serial", "×1 worker"});
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing == Sharing::serial) continue;
    for (const std::uint64_t n : sizes) {
      const Row* one = find_row(rows, name, n, 1, 0);
      const Row* two = find_row(rows, name, n, 2, 0);
      if (one == nullptr || two == nullptr) continue;
      table.add({name, size_text(n), ptut::format_seconds(one->time->median),
                 ptut::format_seconds(two->time->median),
                 optional_text(two->vs_serial, 2), optional_text(two->vs_one_worker, 2)});
    }
  }
  if (table.empty()) return;
  const Row* serial = find_row(rows, kBaseline, sizes[1], 1, 0);
  out << "\nThe article's claim, \"1–2 million and you will see the speedup\" (work 0";
  if (serial != nullptr)
    out << ";\nthe serial loop takes " << ptut::format_seconds(serial->time->median)
        << " at N = 2·10^6";
  out << "):\n";
  table.print(out);
}

void print_compute_bound(const std::vector<Row>& rows, const Dataset& dataset,
                         std::ostream& out) {
  if (dataset.grid.works.empty()) return;
  const unsigned work =
      *std::max_element(dataset.grid.works.begin(), dataset.grid.works.end());
  if (work == 0) return;
  const bool has_four =
      std::find(dataset.grid.workers.begin(), dataset.grid.workers.end(), 4U) !=
      dataset.grid.workers.end();
  std::vector<std::string> header = {"approach",     "N",          "S(2)", "efficiency",
                                     "Karp–Flatt e", "Amdahl S(4)"};
  if (has_four) {
    header.push_back("S(4)");
    header.push_back("e at 4");
  }
  header.push_back("2 workers ×1 worker");
  Table table(header);
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing == Sharing::serial) continue;
    const Row* two = largest_n_with_two_workers(rows, name, work, &Row::vs_serial);
    if (two == nullptr) continue;
    std::vector<std::string> line = {
        name,
        size_text(two->point.n),
        optional_text(two->vs_serial, 2),
        optional_text(two->efficiency, 2),
        optional_text(two->karp_flatt, 3),
        two->karp_flatt && *two->karp_flatt >= 0 && *two->karp_flatt <= 1
            ? fixed(amdahl_speedup(*two->karp_flatt, 4), 2)
            : "–"};
    if (has_four) {
      const Row* four = find_row(rows, name, two->point.n, 4, work);
      line.push_back(four ? optional_text(four->vs_serial, 2) : "–");
      line.push_back(four ? optional_text(four->karp_flatt, 3) : "–");
    }
    line.push_back(optional_text(two->vs_one_worker, 2));
    table.add(line);
  }
  if (table.empty()) return;
  out << "\nCompute-bound (work " << work
      << ", the largest N with 2 workers measured): S(K), the speedup of K workers\n"
         "over chapter 1's loop; the serial fraction e it implies, and what Amdahl's law "
         "predicts with\n"
         "that e for 4 workers on 4 free cores (when 0 ≤ e ≤ 1); last, the speedup over "
         "the approach's\n"
         "own one worker:\n";
  table.print(out);
}

void print_sharing_cost(const std::vector<Row>& rows, const Dataset& dataset,
                        std::ostream& out) {
  Table table(
      {"approach", "N", "work", "K", "time", "serial loop", "× slower than serial"});
  for (const std::string& name : dataset.grid.approaches) {
    if (find_approach(name).sharing != Sharing::per_element) continue;
    for (const unsigned work : dataset.grid.works) {
      const Row* best = largest_n_with_two_workers(rows, name, work, &Row::vs_serial);
      if (best == nullptr) continue;
      table.add({name, size_text(best->point.n), std::to_string(work), "2",
                 ptut::format_seconds(best->time->median),
                 ptut::format_seconds(*best->serial_median),
                 fixed(1 / *best->vs_serial, 1)});
    }
  }
  if (table.empty()) return;
  out << "\nUpdating shared state for every element, against the serial loop timed "
         "beside it\n"
         "(largest N measured):\n";
  table.print(out);
}

}  // namespace

void print_report(const Dataset& dataset, bool every_point, std::ostream& out) {
  const std::vector<Row> rows = derive(dataset);
  std::size_t timed = 0, skipped = 0;
  for (const Row& row : rows) (row.time ? timed : skipped) += 1;
  // measured_at grows a clause for each approach added later: a line of its own.
  out << "Chapter 7: measuring, the " << dataset.grid.name << " grid\n"
      << "  measured " << dataset.measured_at << '\n';
  print_machine(dataset.machine, out);
  out << "  " << timed << " points timed (" << dataset.grid.warmup << " warm-up + "
      << dataset.grid.repeat << (dataset.grid.repeat == 1 ? " timed run" : " timed runs")
      << " each),\n  " << skipped << " skipped as over the budget of "
      << ptut::format_seconds(dataset.grid.budget_seconds) << " a run\n\n";
  if (every_point) print_every_point(rows, out);
  print_crossovers(rows, dataset, out);
  print_article_claim(rows, dataset, out);
  print_compute_bound(rows, dataset, out);
  print_sharing_cost(rows, dataset, out);
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
  out << "\nWhat each step costs (Google Benchmark, real time per operation; each "
         "abstraction,\n"
         "then the raw call it wraps):\n";
  table.print(out);
}

}  // namespace ch07
