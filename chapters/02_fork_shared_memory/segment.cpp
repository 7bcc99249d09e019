// Chapter 2's shared segment: anonymous (inherited through fork, nothing to clean
// up) or named (a file in /dev/shm that outlives a crash).
#include "segment.hpp"

#include <boost/interprocess/anonymous_shared_memory.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include <new>

namespace ch02 {

namespace bip = boost::interprocess;

// [segment_made]
Segment::Segment(Memory memory, unsigned workers, pid_t owner)
    : size_(sizeof(SharedTotals) + workers * sizeof(WorkerSlot)) {
  if (memory == Memory::anonymous) {
    region_ = bip::anonymous_shared_memory(size_);  // mmap(MAP_SHARED | MAP_ANONYMOUS)
  } else {
    name_ = segment_name(owner);
    bip::shared_memory_object object(bip::create_only, name_.c_str(), bip::read_write);
    try {
      object.truncate(static_cast<bip::offset_t>(size_));
      region_ = bip::mapped_region(object, bip::read_write);
    } catch (...) {
      bip::shared_memory_object::remove(name_.c_str());
      throw;
    }
  }
  try {
    // The objects are built inside the mapping, before any fork: the mutexes and
    // atomics the workers will share, in the memory they will share.
    totals_ = new (region_.get_address()) SharedTotals{};
    slots_ = reinterpret_cast<WorkerSlot*>(static_cast<char*>(region_.get_address()) +
                                           sizeof(SharedTotals));
    for (unsigned w = 0; w < workers; ++w) new (&slots_[w]) WorkerSlot{};
  } catch (...) {  // no destructor runs for a constructor that throws: the name goes here
    if (!name_.empty()) bip::shared_memory_object::remove(name_.c_str());
    throw;
  }
}
// [segment_made]

Segment::~Segment() {
  if (!name_.empty()) bip::shared_memory_object::remove(name_.c_str());
}

}  // namespace ch02
