// Chapter 7's measuring itself: the grids, the budget that skips slow points,
// and measure(), which times every approach side by side with chapter 1's loop.
// The dataset's arithmetic and files are in dataset.cpp, its text tables in
// tables.cpp, the plots' data in plot_data.cpp.
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
    if (a.run) names.push_back(a.name);  // not those this build cannot run
  }
  return names;
}

std::string utc_now() {
  const std::time_t now =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
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
std::string over_budget(const Grid& grid, const std::map<Chain, Previous>& previous,
                        const Chain& chain, std::uint64_t n) {
  const auto last = previous.find(chain);
  if (last == previous.end()) return {};
  if (!last->second)
    return "a smaller N was over the budget of " +
           ptut::format_seconds(grid.budget_seconds);
  const auto [last_n, last_median] = *last->second;
  const double estimate =
      last_median * static_cast<double>(n) / static_cast<double>(last_n);
  if (estimate <= grid.budget_seconds) return {};
  return "estimated " + ptut::format_seconds(estimate) + " a run, over the budget of " +
         ptut::format_seconds(grid.budget_seconds);
}

// One run of an approach: its chapter's own time, or an exception naming the
// approach and the point (a Ctrl-C passes through, for the program to end by it).
double time_one_run(const Approach& approach, std::uint64_t n, unsigned workers,
                    unsigned work) {
  const std::string where =
      approach.name + " with N = " + std::to_string(n) + ", " + std::to_string(workers) +
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
    throw std::runtime_error(where + ": sum " + std::to_string(result.sum) +
                             ", expected " + std::to_string(expected));
  }
  return result.seconds;
}

}  // namespace

// [measure]
Dataset measure(const Grid& grid, const OnRun& on_run) {
  Dataset dataset{grid, ptut::to_json(ptut::describe_machine()), utc_now(), {}};
  const Approach& loop = find_approach(kBaseline);
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
          group.push_back({name,
                           n,
                           workers,
                           work,
                           {},
                           {},
                           over_budget(grid, previous, {name, workers, work}, n)});
        }
        const bool any = std::any_of(group.begin(), group.end(),
                                     [](const Point& p) { return p.skipped.empty(); });
        const bool with_loop = any && approach.sharing != Sharing::serial;
        std::vector<double> loop_seconds;
        // Round by round: each worker count once, then the loop it is compared with.
        for (unsigned run = 0; run < grid.warmup + grid.repeat; ++run) {
          const bool timed = run >= grid.warmup;
          for (Point& point : group) {
            if (!point.skipped.empty()) continue;
            if (on_run)
              on_run(point, timed ? run - grid.warmup + 1 : 0, dataset.points.size(),
                     total);
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

}  // namespace ch07
