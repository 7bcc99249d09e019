// Chapter 12: litmus tests you can count. Three two-thread programs (store buffering,
// message passing, load buffering) run a million rounds under each of four memory
// orders, and every outcome (r1, r2) is counted. The C++ memory model forbids one
// outcome of each under the stronger orders: the program fails if it ever appears.
// Orders are template arguments: GCC compiles a run-time memory order as seq_cst.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/cli.hpp"
#include "ptut/contract.hpp"
#include "ptut/machine.hpp"
#include "ptut/timing.hpp"

namespace {

constexpr const char* kProgram = "ch12_litmus";
constexpr std::uint64_t kMaxRounds = 1'000'000'000;

enum class Order { relaxed, acq_rel, seq_cst, fence };

constexpr ptut::Named<Order> kOrders[] = {{"relaxed", Order::relaxed},
                                          {"acq_rel", Order::acq_rel},
                                          {"seq_cst", Order::seq_cst},
                                          {"fence", Order::fence}};

std::string name_of(Order order) {
  return std::string(ptut::name_of(kOrders, order));
}

// An access's order under `order`: seq_cst under seq_cst, `paired` (release for a
// store, acquire for a load) under acq_rel, relaxed otherwise.
constexpr std::memory_order under(Order order, std::memory_order paired) {
  if (order == Order::seq_cst) return std::memory_order_seq_cst;
  return order == Order::acq_rel ? paired : std::memory_order_relaxed;
}

// What each access of a test uses under `order`, all known to the compiler.
template <Order order>
struct Orders {
  static constexpr std::memory_order store = under(order, std::memory_order_release);
  static constexpr std::memory_order load = under(order, std::memory_order_acquire);
  // Message passing's payload needs no order of its own under acq_rel: the flag
  // carries it. Under seq_cst every access joins the single total order, it too.
  static constexpr std::memory_order payload = under(order, std::memory_order_relaxed);
  // Between a thread's two accesses; only the fence order puts anything there.
  static void between() noexcept {
    if constexpr (order == Order::fence)
      std::atomic_thread_fence(std::memory_order_seq_cst);
  }
};

// A cache line each: the tests are about the order of accesses, not false sharing.
struct Cells {
  alignas(ptut::kCacheLine) std::atomic<int> x{0};
  alignas(ptut::kCacheLine) std::atomic<int> y{0};
  alignas(ptut::kCacheLine) std::atomic<int> data{0};
  alignas(ptut::kCacheLine) std::atomic<int> flag{0};
};

// What a round's loads returned; a thread fills in those it loads, the rest stay 0.
struct Registers {
  int r1 = 0, r2 = 0;
};

// [sb]
template <class O>  // O: Orders<relaxed>, Orders<acq_rel>, ...
struct StoreBuffering {
  static void first(Cells& c, Registers& r) noexcept {
    c.x.store(1, O::store);
    O::between();
    r.r1 = c.y.load(O::load);
  }
  static void second(Cells& c, Registers& r) noexcept {
    c.y.store(1, O::store);
    O::between();
    r.r2 = c.x.load(O::load);
  }
};
// [sb]

// [mp]
template <class O>
struct MessagePassing {
  static void first(Cells& c, Registers&) noexcept {
    c.data.store(1, O::payload);
    O::between();
    c.flag.store(1, O::store);
  }
  static void second(Cells& c, Registers& r) noexcept {
    r.r1 = c.flag.load(O::load);
    O::between();
    r.r2 = c.data.load(O::payload);
  }
};
// [mp]

// [lb]
template <class O>
struct LoadBuffering {
  static void first(Cells& c, Registers& r) noexcept {
    r.r1 = c.x.load(O::load);
    O::between();
    c.y.store(1, O::store);
  }
  static void second(Cells& c, Registers& r) noexcept {
    r.r2 = c.y.load(O::load);
    O::between();
    c.x.store(1, O::store);
  }
};
// [lb]

// How many rounds ended in each outcome, indexed by r1 * 2 + r2.
using Counts = std::array<std::uint64_t, 4>;

// A point both threads pass each round. A reordering lasts nanoseconds (a store in a
// store buffer), so a thread spins here for the other: a wake-up takes microseconds.
class Meeting {
 public:
  void arrive() noexcept { arrivals_.fetch_add(1, std::memory_order_acq_rel); }
  // On a busy machine the other thread may not be running: yielding lets it in. After
  // 300 spins, two runs side by side spent most of their time in the kernel; after
  // 4096, TSan's slower spins kept the other thread off a core: 1024 suits both.
  void wait_for(std::uint64_t total) const noexcept {
    for (unsigned spins = 0; arrivals_.load(std::memory_order_acquire) < total; ++spins)
      if (spins >= kSpinsBeforeYield) std::this_thread::yield();
  }

 private:
  static constexpr unsigned kSpinsBeforeYield = 1024;
  alignas(ptut::kCacheLine) std::atomic<std::uint64_t> arrivals_{0};
};

// A random wait of 0 to 255 empty iterations after the start. Without it both
// threads left the meeting in the same order, at the same distance, every round, and
// store buffering never showed in 2 million rounds here; with it, it does.
void jitter(std::uint32_t& state) noexcept {
  state ^= state << 13;  // xorshift32: a few instructions, random enough
  state ^= state >> 17;
  state ^= state << 5;
  for (std::uint32_t i = state & 255; i > 0; --i) asm volatile("");  // not removable
}

// [rounds]
// Round i: both arrive at the start (the 4i + 2nd arrival completes it), wait a
// random while, make the test's two accesses and arrive at the end (4i + 4). The
// second thread's end arrival publishes its registers; the first waits for it, counts
// the outcome and clears the cells, and its next start arrival publishes the cleared
// cells to the second thread's next round.
template <class Round>
void run_rounds(std::uint64_t rounds, Meeting& meeting, std::uint32_t seed, Round round) {
  for (std::uint64_t i = 0; i < rounds; ++i) {
    meeting.arrive();
    meeting.wait_for(4 * i + 2);
    jitter(seed);
    round(i);
  }
}

template <template <class> class Test, Order order>
Counts count_outcomes(std::uint64_t rounds) {
  using Litmus = Test<Orders<order>>;
  Cells cells;
  Meeting meeting;
  std::atomic<int> handed_over{0};  // the second thread's registers, r1 * 2 + r2
  Counts counts{};
  std::jthread second([&] {
    run_rounds(rounds, meeting, 0x9e3779b9u, [&](std::uint64_t) {
      Registers mine;
      Litmus::second(cells, mine);
      handed_over.store(mine.r1 * 2 + mine.r2, std::memory_order_relaxed);
      meeting.arrive();
    });
  });
  run_rounds(rounds, meeting, 0x85ebca6bu, [&](std::uint64_t i) {
    Registers mine;
    Litmus::first(cells, mine);
    meeting.arrive();
    meeting.wait_for(4 * i + 4);
    const int outcome =
        (mine.r1 * 2 + mine.r2) | handed_over.load(std::memory_order_relaxed);
    ++counts[static_cast<std::size_t>(outcome)];
    for (std::atomic<int>* cell : {&cells.x, &cells.y, &cells.data, &cells.flag})
      cell->store(0, std::memory_order_relaxed);
  });
  return counts;
}
// [rounds]

using Runner = Counts (*)(std::uint64_t rounds);

template <template <class> class T>
constexpr std::array<Runner, 4> kRunners = {
    &count_outcomes<T, Order::relaxed>, &count_outcomes<T, Order::acq_rel>,
    &count_outcomes<T, Order::seq_cst>, &count_outcomes<T, Order::fence>};

struct LitmusTest {
  std::string_view name;
  unsigned forbidden;                   // the outcome r1 * 2 + r2 the model forbids
  std::array<bool, 4> forbidden_under;  // by Order: whether the model forbids it
  std::array<Runner, 4> run;            // by Order
};

constexpr LitmusTest kTests[] = {
    {"sb", 0b00, {false, false, true, true}, kRunners<StoreBuffering>},
    {"mp", 0b10, {false, true, true, true}, kRunners<MessagePassing>},
    {"lb", 0b11, {false, true, true, true}, kRunners<LoadBuffering>}};

constexpr const char* kOutcomes[] = {"00", "01", "10", "11"};  // r1r2, by r1 * 2 + r2

struct Result {
  const LitmusTest* test;
  Order order;
  Counts counts;
  double seconds;
  bool forbidden_by_model;  // of test's forbidden outcome, under this order
  std::uint64_t seen_forbidden;
};

constexpr const char* kHelpFooter =
    "Tests (--test), every cell 0 at the start, and the outcome r1r2 the model forbids,\n"
    "under seq_cst and fence (sb), under every order but relaxed (mp, lb):\n"
    "  sb  store buffering  x = 1; r1 = y || y = 1; r2 = x              00\n"
    "  mp  message passing  data = 1; flag = 1 || r1 = flag; r2 = data  10\n"
    "  lb  load buffering   r1 = x; y = 1 || r2 = y; x = 1              11\n"
    "\nOrders (--order):\n"
    "  relaxed  every access memory_order_relaxed\n"
    "  acq_rel  stores release, loads acquire (mp's data relaxed: the flag orders it)\n"
    "  seq_cst  every access memory_order_seq_cst\n"
    "  fence    relaxed accesses, atomic_thread_fence(seq_cst) between a thread's two\n"
    "\nAn allowed outcome need not appear: x86-64 keeps stores in order and loads in\n"
    "order (TSO), so there only sb's 00 shows; ARM shows mp's 10, some ARM lb's 11.\n"
    "Exit status: 0 success; 1 a forbidden outcome seen (a bug in the compiler, the\n"
    "machine or this program) or a thread not started; 2 a usage error.\n";

// A usage error: one line (CLI11's messages may span several), exit status 2.
[[noreturn]] void refuse(std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  std::cerr << kProgram << ": " << message << " (see --help)\n";
  std::exit(ptut::kExitUsage);
}

// A check that accepts "all" or one of `names`, and lists them when it refuses.
CLI::Validator one_of(std::vector<std::string> names, const std::string& noun) {
  names.emplace_back("all");
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
  return CLI::Validator(
      [=](const std::string& value) -> std::string {
        if (std::ranges::find(names, value) != names.end()) return {};
        return "unknown " + noun + " '" + value + "'; choose " + list;
      },
      "");
}

struct Choice {
  std::uint64_t rounds = 1'000'000;
  std::vector<const LitmusTest*> tests;
  std::vector<Order> orders;
  bool json = false;
};

Choice parse(int argc, char** argv) {
  Choice choice;
  std::vector<std::string> tests{"all"}, orders{"all"}, test_names;
  for (const LitmusTest& test : kTests) test_names.emplace_back(test.name);
  CLI::App app(
      "Chapter 12: litmus tests. Two threads, released together each round, "
      "run each test under each order; the program counts the outcomes.",
      kProgram);
  app.footer(kHelpFooter);
  app.get_formatter()->column_width(22);
  app.add_option("--rounds", choice.rounds,
                 "Rounds per test and order, 1 to " + std::to_string(kMaxRounds))
      ->type_name("R")
      ->capture_default_str()
      ->transform(ptut::whole_number(1, kMaxRounds, "at most 10^9 rounds per test"));
  app.add_option("--test", tests, "sb, mp, lb or all; repeatable, or comma-separated")
      ->type_name("T")
      ->delimiter(',')
      ->check(one_of(test_names, "test"));
  app.add_option("--order", orders,
                 "relaxed, acq_rel, seq_cst, fence or all; repeatable or comma-separated")
      ->type_name("O")
      ->delimiter(',')
      ->check(one_of(ptut::names_of(kOrders), "order"));
  app.add_flag("--json", choice.json, "Print one JSON object on stdout and nothing else");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    std::exit(ptut::kExitOk);
  } catch (const CLI::ExtrasError&) {
    std::string extras;
    for (const std::string& extra : app.remaining())
      extras += (extras.empty() ? "" : " ") + extra;
    refuse("unknown option or argument '" + extras +
           "'; the options are --rounds, --test, --order, --json");
  } catch (const CLI::ParseError& error) {  // CLI11's words, made plain
    std::string said = error.what();
    const std::string flag = said.substr(0, said.find(':'));
    if (said.find(" missing") != std::string::npos) said = flag + ": a value is missing";
    if (said.find("At Most") != std::string::npos) said = flag + ": given more than once";
    refuse(said);
  }
  const auto wanted = [](const std::vector<std::string>& chosen, std::string_view name) {
    return std::ranges::find(chosen, name) != chosen.end() ||
           std::ranges::find(chosen, "all") != chosen.end();
  };
  for (const LitmusTest& test : kTests)
    if (wanted(tests, test.name)) choice.tests.push_back(&test);
  for (const auto& order : kOrders)
    if (wanted(orders, order.name)) choice.orders.push_back(order.value);
  return choice;
}

void print_table(const Choice& choice, const std::vector<Result>& results) {
  const auto u = [](std::uint64_t n) { return static_cast<unsigned long long>(n); };
  std::printf("Chapter 12: litmus tests, %llu rounds per test and order\n",
              u(choice.rounds));
  std::printf("%-4s %-8s %10s %10s %10s %10s  %-7s %-9s %10s\n", "test", "order",
              "r1r2=00", "01", "10", "11", "outcome", "here", "seen");
  for (const Result& r : results) {
    std::printf("%-4s %-8s %10llu %10llu %10llu %10llu  %-7s %-9s %10llu\n",
                std::string(r.test->name).c_str(), name_of(r.order).c_str(),
                u(r.counts[0]), u(r.counts[1]), u(r.counts[2]), u(r.counts[3]),
                kOutcomes[r.test->forbidden],
                r.forbidden_by_model ? "forbidden" : "allowed", u(r.seen_forbidden));
  }
}

nlohmann::json to_json(const Choice& choice, const std::vector<Result>& results) {
  nlohmann::json list = nlohmann::json::array();
  for (const Result& r : results) {
    nlohmann::json counts;
    for (unsigned outcome = 0; outcome < 4; ++outcome)
      counts[kOutcomes[outcome]] = r.counts[outcome];
    list.push_back({{"test", r.test->name},
                    {"order", name_of(r.order)},
                    {"counts", counts},
                    {"forbidden", kOutcomes[r.test->forbidden]},
                    {"forbidden_by_model", r.forbidden_by_model},
                    {"seen_forbidden", r.seen_forbidden},
                    {"seconds", r.seconds}});
  }
  return {{"program", kProgram},
          {"rounds", choice.rounds},
          {"machine", ptut::to_json(ptut::describe_machine())},
          {"results", list}};
}

}  // namespace

int main(int argc, char** argv) try {
  const Choice choice = parse(argc, argv);
  std::vector<Result> results;
  for (const LitmusTest* test : choice.tests) {
    for (const Order order : choice.orders) {
      const ptut::Stopwatch stopwatch;
      const auto index = static_cast<std::size_t>(order);
      const Counts counts = test->run[index](choice.rounds);
      results.push_back({test, order, counts, stopwatch.seconds(),
                         test->forbidden_under[index], counts[test->forbidden]});
    }
  }
  if (choice.json) {
    std::cout << to_json(choice, results).dump() << std::endl;
  } else {
    print_table(choice, results);
  }
  std::string broken;
  for (const Result& r : results) {
    if (!r.forbidden_by_model || r.seen_forbidden == 0) continue;
    broken += (broken.empty() ? "" : "; ") + std::string(r.test->name) + " under " +
              name_of(r.order) + " gave r1r2 = " + kOutcomes[r.test->forbidden] + " " +
              std::to_string(r.seen_forbidden) + " times";
  }
  if (broken.empty()) return ptut::kExitOk;
  std::cerr << kProgram << ": the memory model forbids what happened: " << broken
            << " (a bug in the compiler, the machine or this program)\n";
  return ptut::kExitFailed;
} catch (const std::system_error& refused) {  // std::jthread's, the only one here
  std::cerr << kProgram << ": could not start a thread: " << refused.what() << '\n';
  return ptut::kExitFailed;
} catch (const std::exception& failure) {
  return ptut::failed(kProgram, failure);
}
