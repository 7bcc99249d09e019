/// \file
/// \brief A worker's chunk as slices, with the full program's chores between them,
/// so that the loop a page shows holds the approach and nothing else. Before the
/// slice that reaches it, a planned fault strikes; after each slice, the chapter's
/// own hook runs (progress for a watchdog, a small run's step). Chapters 2, 3 and
/// 4 walk their workers' chunks this way.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

#include "ptut/fault.hpp"
#include "ptut/range.hpp"

namespace ptut {

/// One slice of a worker's chunk, and what a small run's step shows beside it
/// (the loop's body stores it; the after-slice hook reads it).
struct Slice {
  Chunk part;             ///< the elements of this slice
  std::uint64_t shown{};  ///< the value a step prints, set by the loop's body
};

/// The slices of `chunk`, `size` elements each (the last may be shorter), for a
/// range-for. `strike(next)` is called when `fault` is due: before the slice
/// from element `next`, or, for a fault never reached (an empty chunk), once the
/// loop ends, with `next` the chunk's end. `after(slice)` runs after each slice.
template <class Strike, class After>
class WatchedSlices {
 public:
  /// The slices of `chunk`, with the hooks around them.
  WatchedSlices(Chunk chunk, std::uint64_t size, FaultPlan fault, Strike strike,
                After after)
      : chunk_(chunk),
        size_(std::max<std::uint64_t>(size, 1)),
        fault_(fault),
        strike_(std::move(strike)),
        after_(std::move(after)) {}
  WatchedSlices(const WatchedSlices&) = delete;
  WatchedSlices& operator=(const WatchedSlices&) = delete;

  /// Walks the slices; the hooks run as it moves.
  class Iterator {
   public:
    /// The first slice of `slices`, or the end (nullptr).
    explicit Iterator(WatchedSlices* slices) : slices_(slices) {
      if (slices_ != nullptr) slices_->start(slices_->chunk_.first, slice_);
    }
    /// The current slice; the body may set its `shown`.
    Slice& operator*() { return slice_; }
    /// After-hook for this slice, then the next slice (and its fault, if due).
    Iterator& operator++() {
      slices_->after_(std::as_const(slice_));
      slices_->start(slice_.part.last, slice_);
      return *this;
    }
    /// False once the chunk is done; a fault planned but never reached strikes then.
    bool operator!=(const Iterator&) const {
      if (slice_.part.first < slices_->chunk_.last) return true;
      if (slices_->fault_.pending()) slices_->strike_(slices_->chunk_.last);
      return false;
    }

   private:
    WatchedSlices* slices_;
    Slice slice_{};
  };
  /// The first slice.
  Iterator begin() { return Iterator(this); }
  /// Past the last slice.
  Iterator end() { return Iterator(nullptr); }

 private:
  void start(std::uint64_t first, Slice& slice) {
    if (first < chunk_.last && fault_.due(first)) strike_(first);
    slice = {{first, std::min(chunk_.last, first + size_)}, 0};
  }

  Chunk chunk_;
  std::uint64_t size_;
  FaultPlan fault_;
  Strike strike_;
  After after_;
};

}  // namespace ptut
