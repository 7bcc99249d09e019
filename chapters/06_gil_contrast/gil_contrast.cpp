// Chapter 6, top to bottom: a task in each mode (a chunk summed in small steps
// under the lock, a blocking call with the lock released, request/response round
// trips), then the runs that time them with one thread and with K.
#include "gil_contrast.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "gil.hpp"
#include "ptut/range.hpp"
#include "ptut/timing.hpp"
#include "ptut/trace.hpp"
#include "ptut/work.hpp"

namespace ch06 {
namespace {

using ptut::Chunk;
using Clock = std::chrono::steady_clock;

// Elements between two looks at the drop request. CPython looks at every loop
// iteration; here a look per element would cost more than the element, and 64
// elements take well under a microsecond, far below any switch interval.
constexpr std::uint64_t kStep = 64;

// [sum_under_gil]
// The article's loop, run as "Python": only while holding the lock, checking
// after every few elements whether another thread asked for it. With no lock
// (`nogil`) it is the same loop, every thread at once.
std::uint64_t sum_under(Gil* gil, unsigned who, Chunk chunk, unsigned work) {
  std::uint64_t sum = 0;
  for (std::uint64_t first = chunk.first; first < chunk.last; first += kStep) {
    sum += ptut::sum_range({first, std::min(chunk.last, first + kStep)}, work);
    if (gil != nullptr && gil->drop_requested()) gil->yield(who);
  }
  return sum;
}
// [sum_under_gil]

// [blocking_call]
// A blocking call, done as CPython does one: release the lock, block, take it
// back. Meanwhile other threads can run.
void blocking_call(Gil* gil, unsigned who, std::chrono::milliseconds how_long) {
  if (gil != nullptr) gil->drop(who);
  {
    const ptut::trace::Span blocked("blocking call");  // --trace
    std::this_thread::sleep_for(how_long);
  }
  if (gil != nullptr) gil->take(who);
}
// [blocking_call]

// One worker's share of a `cpu`, `nogil` or `io` run: its chunk (and in `io`, a
// blocking call first).
struct Task {
  Chunk chunk;
  bool blocks = false;
};

std::uint64_t do_tasks(Gil* gil, unsigned who, const std::vector<Task>& tasks,
                       const Config& config) {
  std::uint64_t sum = 0;
  if (gil != nullptr) gil->take(who);
  for (const Task& task : tasks) {
    if (task.blocks) blocking_call(gil, who, config.block);
    // --trace: under the lock, its holds are the work's spans (gil.cpp)
    ptut::trace::Span working;
    if (gil == nullptr)
      working.open("chunk", {{"first", task.chunk.first}, {"last", task.chunk.last}});
    sum += sum_under(gil, who, task.chunk, config.options.work);
  }
  if (gil != nullptr) gil->drop(who);
  return sum;
}

struct Timed {
  std::uint64_t sum = 0;
  double seconds = 0;
  std::uint64_t handoffs = 0;
  std::uint64_t drop_requests = 0;
  std::uint64_t overlapping_holders = 0;
};

// The K tasks by `threads` threads: one thread does them all in turn, or each
// of K threads does one.
Timed run_tasks(const Config& config, const std::vector<Task>& tasks, unsigned threads,
                bool with_gil) {
  std::optional<Gil> gil;
  if (with_gil) gil.emplace(config.switch_interval);
  Gil* lock = gil ? &*gil : nullptr;
  std::vector<std::uint64_t> sums(threads, 0);
  const ptut::Stopwatch stopwatch;
  if (threads == 1) {
    const ptut::trace::Span alone("tasks on one thread");  // --trace
    sums[0] = do_tasks(lock, 1, tasks, config);
  } else {
    // --trace; made before the threads, so that "wait" ends after their joins
    ptut::trace::Span starting("start workers");
    ptut::trace::Span waiting;
    std::vector<std::jthread> running;
    for (unsigned t = 0; t < threads; ++t) {
      running.emplace_back([&, t] {
        if (ptut::trace::on) ptut::trace::name_thread("thread " + std::to_string(t + 1));
        sums[t] = do_tasks(lock, t + 1, {tasks[t]}, config);
      });
    }
    starting.close();
    waiting.open("wait");
  }  // the jthreads join here
  Timed timed;
  timed.seconds = stopwatch.seconds();
  for (std::uint64_t sum : sums) timed.sum += sum;
  if (lock != nullptr) {
    timed.handoffs = lock->handoffs();
    timed.drop_requests = lock->drop_requests();
    timed.overlapping_holders = lock->overlapping_holders();
  }
  return timed;
}

// ---------------------------------------------------------------------------
// convoy: one thread making round trips beside CPU-bound threads.

// The other end of the round trips: a server that needs no lock (it stands for
// another process or machine) and answers each request after kServerDelay,
// about a round trip across a local network.
constexpr auto kServerDelay = std::chrono::microseconds(100);

class Echo {
 public:
  Echo() {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends_) != 0) {
      throw std::system_error(errno, std::generic_category(), "socketpair");
    }
    server_ = std::jthread([this] {
      char byte = 0;
      for (;;) {
        const ssize_t got = read(ends_[1], &byte, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got != 1) break;  // the client shut its end: done
        std::this_thread::sleep_for(kServerDelay);
        // no SIGPIPE if the client is gone
        if (send(ends_[1], &byte, 1, MSG_NOSIGNAL) != 1) break;
      }
      // a client still waiting sees end-of-file, not silence
      shutdown(ends_[1], SHUT_RDWR);
    });
  }
  Echo(const Echo&) = delete;
  Echo& operator=(const Echo&) = delete;
  ~Echo() {
    shutdown(ends_[0], SHUT_RDWR);  // the server's read sees end-of-file
    server_.join();
    close(ends_[0]);
    close(ends_[1]);
  }
  [[nodiscard]] int client() const { return ends_[0]; }

 private:
  int ends_[2] = {-1, -1};
  std::jthread server_;
};

// Round trips that make a span each (--trace): a trip lasts about kServerDelay, so
// a million would make a file of a hundred megabytes.
constexpr unsigned kTracedTrips = 1000;

// [round_trips]
// Each round trip: release the lock around the socket calls, as CPython does
// around I/O, send a byte, wait for the answer, then take the lock back. Beside
// a thread that holds the lock for its work, taking it back means waiting out a
// switch interval.
double round_trips(Gil* gil, unsigned who, int socket, unsigned count) {
  gil->take(who);
  const ptut::Stopwatch stopwatch;
  for (unsigned r = 0; r < count; ++r) {
    char byte = 'x';
    gil->drop(who);
    ptut::trace::Span trip;  // --trace: the first kTracedTrips
    if (ptut::trace::on && r < kTracedTrips) trip.open("round trip");
    const bool sent = write(socket, &byte, 1) == 1;
    ssize_t got = 0;
    do {
      got = sent ? read(socket, &byte, 1) : -1;
    } while (got < 0 && errno == EINTR);
    if (got == 0) throw std::runtime_error("a round trip: the server closed the socket");
    if (got != 1)
      throw std::system_error(errno, std::generic_category(),
                              "a round trip through the socket");
    trip.close();
    gil->take(who);
  }
  const double seconds = stopwatch.seconds();
  gil->drop(who);
  return seconds;
}
// [round_trips]

GilFacts run_convoy(const Config& config) {
  const unsigned cpu_threads = config.options.workers - 1;
  GilFacts result;

  // The I/O thread alone: what a round trip costs with nobody to wait for.
  const Echo echo;
  double alone_ms = 0;
  {
    const ptut::trace::Span alone("round trips alone");  // --trace
    Gil gil(config.switch_interval);
    alone_ms = round_trips(&gil, 1, echo.client(), config.round_trips) * 1e3 /
               config.round_trips;
  }
  // Beside K − 1 threads that sum 1..N under the lock, then keep computing (as a
  // busy Python thread would) until the I/O thread is done.
  Gil gil(config.switch_interval);
  std::atomic<bool> io_done{false};
  std::vector<std::uint64_t> sums(cpu_threads, 0);
  const std::vector<Chunk> chunks = ptut::split_range(config.options.n, cpu_threads);
  double io_seconds = 0;
  std::exception_ptr io_failed;
  const ptut::Stopwatch stopwatch;
  {
    ptut::trace::Span waiting;  // --trace; ends after the joins
    std::vector<std::jthread> running;
    // Destroyed before `running` joins: if starting a thread throws, the
    // computing threads must still learn that no I/O thread will finish.
    bool all_started = false;
    struct StopIfStartFailed {
      std::atomic<bool>& done;
      const bool& all_started;
      ~StopIfStartFailed() {
        if (!all_started) done.store(true);
      }
    } stop_if_start_failed{io_done, all_started};
    ptut::trace::Span starting("start workers");
    for (unsigned t = 0; t < cpu_threads; ++t) {
      running.emplace_back([&, t] {
        if (ptut::trace::on) ptut::trace::name_thread("thread " + std::to_string(t + 2));
        gil.take(t + 2);
        sums[t] = sum_under(&gil, t + 2, chunks[t], config.options.work);
        while (!io_done.load())
          (void)sum_under(&gil, t + 2, {1, 1 + 4 * kStep}, config.options.work);
        gil.drop(t + 2);
      });
    }
    running.emplace_back([&] {
      if (ptut::trace::on) ptut::trace::name_thread("I/O thread 1");
      try {
        io_seconds = round_trips(&gil, 1, echo.client(), config.round_trips);
      } catch (...) {  // it let go of the lock first, so the others can finish
        io_failed = std::current_exception();
      }
      io_done.store(true);
    });
    all_started = true;
    starting.close();
    waiting.open("wait");
  }
  if (io_failed) std::rethrow_exception(io_failed);
  result.seconds = stopwatch.seconds();
  for (std::uint64_t sum : sums) result.sum += sum;
  const double beside_ms = io_seconds * 1e3 / config.round_trips;
  result.round_trips = RoundTrips{config.round_trips, alone_ms, beside_ms};
  result.one_thread_seconds = alone_ms * config.round_trips / 1e3;
  // The I/O thread alone against beside the others: its round trips' slowdown
  // (below 1), in the column the other modes fill with one thread against K.
  result.speedup_vs_one_thread = alone_ms / beside_ms;
  result.handoffs = gil.handoffs();
  result.drop_requests = gil.drop_requests();
  result.overlapping_holders = gil.overlapping_holders();
  return result;
}

// The modes, chosen once by name: what each thread's task does first, whether the
// threads must hold the lock, and convoy's different shape.
struct Mode {
  ptut::Variant variant;  // the name --mode takes, its line in --help
  bool blocks_first;      // each task first waits for "I/O", the lock released
  bool with_gil;
  bool convoy;  // one thread of round trips beside CPU-bound ones
};
const Mode kModes[] = {
    {{"cpu", "the sum in small steps under the lock: threads take turns"},
     false,
     true,
     false},
    {{"io", "each task first blocks (sleeps) with the lock released, then sums"},
     true,
     true,
     false},
    {{"convoy", "one thread makes request/response round trips beside CPU-bound threads"},
     false,
     true,
     true},
    {{"nogil", "the same threads and sum with no lock (PEP 703's picture)"},
     false,
     false,
     false},
};

}  // namespace

bool is_convoy(std::string_view mode) {
  return ptut::find_variant(kModes, mode).convoy;
}

ptut::ChapterSpec spec() {
  return {
      .target = "ch06_gil_contrast",
      .title = "Chapter 6: a GIL-like lock",
      .about =
          "Chapter 6: the article's sum on threads that must hold one global lock to "
          "run, "
          "modelled on CPython's GIL, timed with one thread and with K, next to the same "
          "threads without the lock.",
      .variants = ptut::variants_of(kModes),
      .default_variant = "cpu",
      .has_workers = true,
      .no_workers_reason = "",
      .variant_flag = "--mode",
      .traceable = true,
  };
}

void to_json(nlohmann::json& json, const GilFacts& facts) {
  json = {
      {"handoffs", facts.handoffs},
      {"drop_requests", facts.drop_requests},
      {"overlapping_holders", facts.overlapping_holders},
  };
  if (facts.one_thread_seconds) json["one_thread_seconds"] = *facts.one_thread_seconds;
  if (facts.loop_seconds) json["loop_seconds"] = *facts.loop_seconds;
  if (facts.speedup_vs_loop) json["speedup_vs_loop"] = *facts.speedup_vs_loop;
  if (facts.speedup_vs_one_thread)
    json["speedup_vs_one_thread"] = *facts.speedup_vs_one_thread;
  if (facts.round_trips) {
    json["round_trips"] = facts.round_trips->count;
    json["round_trip_ms_alone"] = facts.round_trips->ms_alone;
    json["round_trip_ms"] = facts.round_trips->ms_beside;
  }
}

// [run]
GilFacts run(const Config& config) {
  const ptut::Options& options = config.options;
  const Mode& mode = ptut::find_variant(kModes, options.variant);
  if (mode.convoy) {
    if (options.workers < 2)
      throw BadConfig(
          "convoy needs at least 2 threads: one making round trips, one computing");
    return run_convoy(config);
  }
  std::vector<Task> tasks;
  for (const Chunk& chunk : ptut::split_range(options.n, options.workers)) {
    tasks.push_back({chunk, mode.blocks_first});
  }
  std::optional<double> loop_seconds;
  std::optional<Timed> one;
  if (config.one_thread_baseline) {
    ptut::trace::Span looping("chapter 1's loop");
    const ptut::Stopwatch loop;
    if (ptut::sum_range({1, options.n + 1}, options.work) != ptut::closed_form(options.n))
      throw std::logic_error("chapter 1's loop, the baseline, is not exact");
    loop_seconds = loop.seconds();
    looping.close();
    one = run_tasks(config, tasks, 1, mode.with_gil);
  }
  const Timed many = run_tasks(config, tasks, options.workers, mode.with_gil);
  // [run]
  GilFacts result;
  result.sum = many.sum;
  result.seconds = many.seconds;
  result.handoffs = many.handoffs;
  result.drop_requests = many.drop_requests;
  result.overlapping_holders = many.overlapping_holders;
  if (!one) return result;
  if (one->sum != many.sum)
    throw std::logic_error("the one-thread and K-thread sums differ");
  result.one_thread_seconds = one->seconds;
  result.loop_seconds = loop_seconds;
  result.speedup_vs_loop = many.seconds > 0 ? *loop_seconds / many.seconds : 0.0;
  result.speedup_vs_one_thread = many.seconds > 0 ? one->seconds / many.seconds : 0.0;
  result.overlapping_holders = many.overlapping_holders + one->overlapping_holders;
  return result;
}

}  // namespace ch06
