// Chapter 11's kernels with the device taken away: every block and every thread
// run in host loops, calling the per-thread code of chapters/11_gpu/steps.hpp that
// the kernels call. A barrier (__syncthreads) is the end of a loop over the block's
// threads; a warp shuffle reads the lanes' values from before the step, as the
// hardware does. What this cannot test is the GPU's own part (shared memory,
// scheduling, atomics): the device tests do, where there is a device.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "steps.hpp"

namespace ch11::host {

using u64 = std::uint64_t;

// __shfl_down_sync over the 32 lanes of warp 0: a lane whose source is past the
// warp reads its own value.
inline u64 warp_sum(std::array<u64, 32> lanes) {
  for (unsigned offset = 16; offset > 0; offset /= 2) {
    const std::array<u64, 32> before = lanes;
    for (unsigned lane = 0; lane < 32; ++lane) {
      lanes[lane] += lane + offset < 32 ? before[lane + offset] : before[lane];
    }
  }
  return lanes[0];
}

// cuda_sums.cu's block_sum: the tree down to 32 values, then warp 0's shuffles.
inline u64 block_sum(std::vector<u64> shared) {
  const auto threads = static_cast<unsigned>(shared.size());
  for (unsigned stride = threads / 2; stride >= 32; stride /= 2) {
    for (unsigned tid = 0; tid < threads; ++tid)
      sequential_step(shared.data(), tid, stride);
  }
  std::array<u64, 32> lanes{};
  for (unsigned lane = 0; lane < 32; ++lane) lanes[lane] = shared[lane];
  return warp_sum(lanes);
}

struct Pair {
  u64 x, y;
};

// Each block's sum, as the variant's kernel would write it (--combine pass), for
// `threads` per block and, for the fixed grids, `grid` blocks.
inline std::vector<u64> block_sums(const std::string& variant, u64 n, unsigned work,
                                   unsigned threads, u64 grid) {
  std::vector<u64> sums;
  std::vector<u64> shared(threads);
  if (variant == "interleaved" || variant == "sequential") {
    for (u64 block = 0; block < blocks_for(n, threads); ++block) {
      for (unsigned tid = 0; tid < threads; ++tid)
        shared[tid] = element_at(block * threads + tid, n, work);
      if (variant == "interleaved") {
        for (unsigned stride = 1; stride < threads; stride *= 2)
          for (unsigned tid = 0; tid < threads; ++tid)
            interleaved_step(shared.data(), tid, stride);
      } else {
        for (unsigned stride = threads / 2; stride > 0; stride /= 2)
          for (unsigned tid = 0; tid < threads; ++tid)
            sequential_step(shared.data(), tid, stride);
      }
      sums.push_back(shared[0]);
    }
  } else if (variant == "first_add" || variant == "warp_shuffle") {
    for (u64 block = 0; block < blocks_for(n, 2 * u64{threads}); ++block) {
      for (unsigned tid = 0; tid < threads; ++tid)
        shared[tid] = first_add_load(block, tid, threads, n, work);
      if (variant == "first_add") {
        for (unsigned stride = threads / 2; stride > 0; stride /= 2)
          for (unsigned tid = 0; tid < threads; ++tid)
            sequential_step(shared.data(), tid, stride);
        sums.push_back(shared[0]);
      } else {
        sums.push_back(block_sum(shared));
      }
    }
  } else if (variant == "grid_stride") {
    const u64 total = grid * threads;
    for (u64 block = 0; block < grid; ++block) {
      for (unsigned tid = 0; tid < threads; ++tid)
        shared[tid] = grid_stride_sum(block * threads + tid, total, n, work);
      sums.push_back(block_sum(shared));
    }
  } else if (variant == "array") {
    std::vector<u64> values(n);
    for (u64 i = 0; i < n; ++i) values[i] = i + 1;  // fill_kernel
    std::vector<Pair> pairs(n / 2);
    for (u64 p = 0; p < n / 2; ++p) pairs[p] = {values[2 * p], values[2 * p + 1]};
    const u64 total = grid * threads;
    for (u64 block = 0; block < grid; ++block) {
      for (unsigned tid = 0; tid < threads; ++tid) {
        const u64 global = block * threads + tid;
        shared[tid] = grid_stride_pairs(pairs.data(), global, total, n);
        if (global == 0 && n % 2 == 1) shared[tid] += values[n - 1];
      }
      sums.push_back(block_sum(shared));
    }
  }
  return sums;
}

// second_pass_kernel: one block of 1024 threads adds the blocks' sums.
inline u64 second_pass(const std::vector<u64>& partials) {
  std::vector<u64> shared(1024, 0);
  for (unsigned tid = 0; tid < 1024; ++tid)
    for (u64 i = tid; i < partials.size(); i += 1024) shared[tid] += partials[i];
  return block_sum(shared);
}

}  // namespace ch11::host
