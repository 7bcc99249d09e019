/// \file
/// \brief Chapter 2's shared segment: a SharedTotals and one WorkerSlot per
/// worker, in anonymous or named shared memory (the parent's side of the run).
#pragma once

#include <sys/types.h>

#include <boost/interprocess/mapped_region.hpp>

#include <cstddef>
#include <string>

#include "fork_shared_memory.hpp"

namespace ch02 {

/// Anonymous or named shared memory holding a SharedTotals and one WorkerSlot
/// per worker. A named segment is removed by the destructor, which runs only in
/// the parent: workers leave with _exit.
class Segment {
 public:
  /// Maps the segment for `workers` workers; a named one carries `owner`'s PID.
  Segment(Memory memory, unsigned workers, pid_t owner);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;
  /// Removes a named segment's name. The objects in it are not destroyed: a
  /// worker that died may still hold the mutex, and destroying a locked mutex is
  /// undefined. Unmapping the memory is enough.
  ~Segment();

  /// What the workers share.
  [[nodiscard]] SharedTotals& totals() const { return *totals_; }
  /// Worker `index`'s own slot (0-based).
  [[nodiscard]] WorkerSlot& slot(unsigned index) const { return slots_[index]; }

 private:
  std::size_t size_;
  std::string name_;
  boost::interprocess::mapped_region region_;
  SharedTotals* totals_ = nullptr;
  WorkerSlot* slots_ = nullptr;
};

}  // namespace ch02
