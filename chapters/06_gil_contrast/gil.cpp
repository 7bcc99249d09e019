// Chapter 6: the lock, following CPython's take_gil() and drop_gil()
// (Python/ceval_gil.h from 3.2 to 3.11, Python/ceval_gil.c since 3.12), with one
// std::mutex where CPython uses two.
#include "gil.hpp"

#include <stdexcept>

#include "ptut/trace.hpp"

namespace ch06 {
namespace {

// --trace: each hold of the lock is a span, and so is the wait before it: a
// handful per switch interval, never per element. A short interval on a long run
// would still make millions, so each thread's first kTracedHolds are traced.
constexpr std::uint64_t kTracedHolds = 1000;
thread_local std::uint64_t traced_holds = 0;
thread_local bool hold_traced = false;  // the hold this thread is in has a span

// Spans "wait for lock" while take() waits, then "hold lock" from its return. Made
// before take()'s std::unique_lock, it ends the wait after the mutex's release.
class TracedTake {
 public:
  TracedTake() : traced_(ptut::trace::on && traced_holds < kTracedHolds) {
    if (traced_) ptut::trace::begin("wait for lock");
  }
  ~TracedTake() {
    if (!traced_) return;
    ptut::trace::end();
    ptut::trace::begin("hold lock", {{"hold", ++traced_holds}});
    hold_traced = true;
  }
  TracedTake(const TracedTake&) = delete;
  TracedTake& operator=(const TracedTake&) = delete;

 private:
  bool traced_;
};

void end_traced_hold() {
  if (hold_traced) ptut::trace::end();
  hold_traced = false;
}

}  // namespace

// [take]
void Gil::take(unsigned who) {
  const TracedTake traced;  // --trace: the wait, and the hold from here on
  std::unique_lock lock(mutex_);
  while (locked_) {
    const std::uint64_t seen = switch_number_;
    const bool timed_out = released_.wait_for(lock, interval_) == std::cv_status::timeout;
    // A whole interval passed and the same thread still holds the lock: ask it
    // to let go. (A spurious wake-up or a hand-off to someone else does not count.)
    if (timed_out && locked_ && switch_number_ == seen && !drop_request_.exchange(true))
      ++drop_requests_;
  }
  locked_ = true;
  if (holders_.fetch_add(1) != 0) overlaps_.fetch_add(1);
  if (last_holder_ != who) {
    last_holder_ = who;
    ++switch_number_;
  }
  drop_request_.store(false);  // whoever asked has it now, or will ask again
  switched_.notify_all();
}
// [take]

// [drop]
void Gil::drop(unsigned who) {
  std::unique_lock lock(mutex_);
  if (!locked_ || last_holder_ != who)
    throw std::logic_error("Gil::drop by a thread that does not hold it");
  end_traced_hold();  // --trace
  holders_.fetch_sub(1);
  locked_ = false;
  released_.notify_one();
  // Forced switching: asked to let go, the dropper waits until another thread
  // has the lock. Without this, it would usually take the lock straight back:
  // it is running, while the waiter first has to be woken up.
  if (drop_request_.load() && last_holder_ == who) {
    drop_request_.store(false);
    switched_.wait(lock, [&] { return last_holder_ != who; });
  }
}
// [drop]

std::uint64_t Gil::handoffs() const {
  const std::lock_guard lock(mutex_);
  // the first holder got it from nobody
  return switch_number_ > 0 ? switch_number_ - 1 : 0;
}

std::uint64_t Gil::drop_requests() const {
  const std::lock_guard lock(mutex_);
  return drop_requests_;
}

}  // namespace ch06
