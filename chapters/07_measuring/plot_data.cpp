// Chapter 7's plot data: the files gnuplot draws the page's plots from.
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

namespace ch07 {
namespace {

// "2·10^6" as the plots draw it, "2·10⁶": their series names are drawn literally
// (gnuplot's enhanced text would turn the underscore of "omp_for" into a
// subscript), so the exponent is written in superscript digits instead.
std::string with_superscript_power(const std::string& size) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  const std::size_t caret = size.find('^');
  if (caret == std::string::npos) return size;
  std::string drawn = size.substr(0, caret);
  for (const char digit : size.substr(caret + 1)) drawn += kDigits[digit - '0'];
  return drawn;
}

}  // namespace

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
         << dataset.machine.value("usable_cores", 0) << " cores, "
         << dataset.measured_at.substr(0, 10) << '\n';
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Which `--work` values there are (a time panel each); the speedups are of the last.
  {
    std::ofstream file = open(prefix + "_works.txt");
    for (const unsigned work : dataset.grid.works) file << work << ' ';
    file << '\n';
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Small multiples: a panel for each group of approaches, so that no panel has
  // more than a handful of curves. The serial loop, the baseline, is in every
  // group's time panel.
  const auto group_of = [](const Approach& approach) -> std::string {
    if (approach.sharing == Sharing::serial) return "";
    if (approach.chapter == "ch09_parallel_loops") return "loops";  // one line each
    if (approach.chapter == "ch10_tasks") return "tasks";
    // "threads" or "processes"
    if (approach.sharing == Sharing::partials) return approach.workers_are;
    return "sharing";  // every element, or one lock to run at all
  };
  const std::vector<std::string> groups = {"threads", "loops", "tasks", "processes",
                                           "sharing"};
  std::vector<std::string> present;
  for (const std::string& group : groups) {
    for (const std::string& name : dataset.grid.approaches) {
      if (group_of(find_approach(name)) == group) {
        present.push_back(group);
        break;
      }
    }
  }
  {
    std::ofstream file = open(prefix + "_groups.txt");
    for (const std::string& group : present) file << group << ' ';
    file << '\n';
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
  // Time against N: the serial loop, and every other approach with 2 workers.
  for (const unsigned work : dataset.grid.works) {
    for (const std::string& group : present) {
      std::ofstream file =
          open(prefix + "_time_work" + std::to_string(work) + "_" + group + ".dat");
      for (const std::string& name : dataset.grid.approaches) {
        const Approach& approach = find_approach(name);
        if (approach.sharing != Sharing::serial && group_of(approach) != group) continue;
        const unsigned workers = approach.sharing == Sharing::serial ? 1 : 2;
        std::ostringstream block;
        for (const Row& row : rows) {
          const Point& p = row.point;
          if (p.approach != name || p.workers != workers || p.work != work || !row.time)
            continue;
          block << p.n << ' ' << row.time->median << ' ' << row.time->min << ' '
                << row.time->max << '\n';
        }
        if (block.str().empty()) continue;
        // The figure's title says "2 workers": a short name leaves the key room
        // for two columns in a figure narrow enough for a phone.
        file << '"' << name << "\"\n" << block.str() << "\n\n";
      }
      if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
    }
  }
  // Speedup against workers, at the largest N where every worker count was measured.
  const unsigned work = dataset.grid.works.empty() ? 0 : dataset.grid.works.back();
  for (const std::string& group : present) {
    std::ofstream file = open(prefix + "_speedup_" + group + ".dat");
    for (const std::string& name : dataset.grid.approaches) {
      if (group_of(find_approach(name)) != group) continue;
      std::optional<std::uint64_t> largest;
      for (const std::uint64_t n : dataset.grid.ns) {
        bool all = true;
        for (const unsigned workers : dataset.grid.workers) {
          all = all && find_row(rows, name, n, workers, work) != nullptr;
        }
        if (all) largest = n;
      }
      if (!largest) continue;
      file << '"' << name << ", " << with_superscript_power(size_text(*largest))
           << "\"\n";
      for (const unsigned workers : dataset.grid.workers) {
        const Row* row = find_row(rows, name, *largest, workers, work);
        if (row->vs_serial) file << workers << ' ' << *row->vs_serial << '\n';
      }
      file << "\n\n";
    }
    if (!file) throw std::runtime_error("cannot write the plot data under " + prefix);
  }
}

void write_overhead_data(const std::vector<Overhead>& overheads,
                         const std::string& prefix) {
  const std::string path = prefix + "_overheads.dat";
  std::ofstream file(path);
  if (!file) throw std::runtime_error("cannot write " + path);
  file << std::setprecision(9);
  // Row, label, nanoseconds, and 0 for an operation's first row (the abstraction), 1 for
  // the rest.
  for (std::size_t i = 0; i < overheads.size(); ++i) {
    const Overhead& o = overheads[i];
    const bool first = i == 0 || overheads[i - 1].operation != o.operation;
    file << i << " \"" << o.operation << ": " << o.implementation << "\" "
         << o.nanoseconds << ' ' << (first ? 0 : 1) << '\n';
  }
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace ch07
