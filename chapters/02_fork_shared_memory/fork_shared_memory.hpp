/// \file
/// \brief Chapter 2: the article's program. K processes made with `fork()` add
/// their chunks of 1..N into memory they share through Boost.Interprocess.
#pragma once

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>

#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptut/cli.hpp"
#include "ptut/machine.hpp"
#include "ptut/process.hpp"
#include "ptut/report.hpp"

/// Chapter 2: fork and shared memory.
namespace ch02 {

/// Where the shared segment comes from.
enum class Memory {
  /// `mmap(MAP_SHARED | MAP_ANONYMOUS)`: no name, inherited by fork, gone with the last
  /// process
  anonymous,
  /// a POSIX shared-memory object `/dev/shm/ptut_ch02_<pid>_segment`: outlives a crash
  named,
};

/// The lock of the `locked` variant.
enum class Lock {
  /// Boost's `interprocess_mutex` as this project builds it: every lock() reads
  /// the clock and waits at most 1.5 s, then throws (chapter 5 needs that: a lock
  /// whose holder died must not hang the parent).
  timed,
  /// The same kind of mutex, a `pthread_mutex_t` shared between processes, locked
  /// with plain `pthread_mutex_lock`: no clock, no time limit.
  plain,
};

/// What `--memory` takes.
inline constexpr ptut::Named<Memory> kMemories[] = {{"anonymous", Memory::anonymous},
                                                    {"named", Memory::named}};
/// What `--lock` takes.
inline constexpr ptut::Named<Lock> kLocks[] = {{"timed", Lock::timed},
                                               {"plain", Lock::plain}};

/// A `pthread_mutex_t` that processes share: what `interprocess_mutex` is, without
/// Boost's timed lock. Lives in shared memory, made before the fork; BasicLockable,
/// so std::scoped_lock takes it.
class PlainProcessMutex {
 public:
  PlainProcessMutex();
  PlainProcessMutex(const PlainProcessMutex&) = delete;
  PlainProcessMutex& operator=(const PlainProcessMutex&) = delete;
  void lock();    ///< waits as long as it takes
  void unlock();  ///< releases it

 private:
  pthread_mutex_t mutex_;
};

/// A failure to inject into one worker, to watch the parent cope with it.
enum class FaultKind {
  none,   ///< no fault
  exit,   ///< the worker exits with status 3 halfway through its chunk
  abort,  ///< the worker calls std::abort() halfway (killed by SIGABRT)
  hang,   ///< the worker stops making progress halfway and waits forever
};

/// What `--fault WORKER:KIND` takes for KIND.
inline constexpr ptut::Named<FaultKind> kFaultKinds[] = {
    {"exit", FaultKind::exit}, {"abort", FaultKind::abort}, {"hang", FaultKind::hang}};

/// Which worker fails (1-based; 0 for none), and how.
using Fault = ptut::Fault<FaultKind>;

/// Everything a run needs.
struct Config {
  ptut::Options options;              ///< the common command line
  Memory memory = Memory::anonymous;  ///< where the shared segment comes from
  Lock lock = Lock::timed;            ///< the lock of the `locked` variant
  Fault fault;                        ///< a failure to inject, if any
  /// Print every element as the workers add it, as the article's program does.
  /// Each worker then pauses 2 ms per element, so that they visibly interleave.
  bool show_steps = false;
  /// Seconds a worker may go without finishing a slice of its chunk (at most
  /// 65,536 elements) before the parent counts it as hung and stops the run.
  double hang_timeout = 5.0;
};

// [segment]
/// The start of the shared segment: what the workers share. One WorkerSlot per
/// worker follows it.
struct alignas(ptut::kCacheLine) SharedTotals {
  /// The start line: how many workers have arrived. Each waits until all have, so
  /// that they really run at the same time: the next fork comes tens of thousands
  /// of elements' time after the last, and the race would get fewer chances.
  std::atomic<unsigned> arrived{0};
  /// The shared total of the `racy` and `atomic` variants. It must be lock-free:
  /// a lock-based std::atomic keeps its lock in the process, not in the segment.
  std::atomic<std::uint64_t> total{0};
  /// guards locked_total (`locked`, Lock::timed)
  boost::interprocess::interprocess_mutex mutex;
  /// guards locked_total (`locked`, Lock::plain)
  PlainProcessMutex plain_mutex;
  std::uint64_t locked_total = 0;  ///< the `locked` variant's total
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "a std::atomic shared between processes must be lock-free");

/// One worker's own slot, alone on its cache line so that no two workers write to
/// the same line (why that matters: chapter 3, false sharing). Its fields are
/// atomics because the parent's watchdog reads `done` and `finished` while the
/// worker runs; `partial` is read only after `waitpid`, which alone would make a
/// plain field safe (the core does that), and it is atomic for uniformity.
struct alignas(ptut::kCacheLine) WorkerSlot {
  /// elements finished: progress, and hang detection
  std::atomic<std::uint64_t> done{0};
  /// the `partials` variant's result, stored once
  std::atomic<std::uint64_t> partial{0};
  std::atomic<bool> finished{false};  ///< set just before the worker exits
};
// [segment]

/// A worker failed or hung, or a signal interrupted the run (common to the
/// chapters that fork: ptut::RunFailed).
using RunFailed = ptut::RunFailed;

/// The chapter's command-line description and variants.
[[nodiscard]] ptut::ChapterSpec spec();

/// Whether `variant` guards its total with a lock, and so takes `--lock`.
[[nodiscard]] bool takes_lock(std::string_view variant);

/// The name of the named segment a run of process `owner` creates.
[[nodiscard]] std::string segment_name(pid_t owner);

/// What a run reports beyond its sum and time: the memory and lock it used, each
/// worker's partial sum where there are some, and what it cleaned up first.
struct ForkFacts : ptut::RunResult {
  Memory memory = Memory::anonymous;  ///< where the shared segment came from
  std::optional<Lock> lock;  ///< the `locked` variant's lock; absent for the others
  /// The `partials` variant's slots, worker 1 first: the parent adds these.
  std::optional<std::vector<std::uint64_t>> partials;
  /// Segments of dead runs removed before this one (names under /dev/shm).
  std::vector<std::string> removed;
};

/// The chapter's keys of `--json`: `memory`, `lock` (locked only), `partials`
/// (partials only, as decimal strings: exact in 64 bits, unlike a JSON number read
/// as a double) and `removed`.
void to_json(nlohmann::json& json, const ForkFacts& facts);

/// Runs the variant `config.options.variant` with `config.options.workers` forked
/// workers and returns their total. Removes stale segments of dead runs first and
/// lists them in the result.
/// \throws RunFailed if a worker fails or hangs, or SIGINT/SIGTERM arrives.
[[nodiscard]] ForkFacts run(const Config& config);

}  // namespace ch02
