// Chapter 6: the lock, following CPython's take_gil() and drop_gil()
// (Python/ceval_gil.h from 3.2 to 3.11, Python/ceval_gil.c since 3.12), with one
// std::mutex where CPython uses two.
#include "gil.hpp"

#include <stdexcept>

namespace ch06 {

// [take]
void Gil::take(unsigned who) {
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
