/// \file
/// \brief Chapter 11: what one GPU thread does in each reduction step, written once
/// for the device (nvcc) and the host (g++, the tests), so that the tests run the
/// very code the kernels run.
///
/// Nothing here knows about launches: a kernel (cuda_sums.cu) or a host loop
/// (tests/ch11/host_launch.hpp) calls these functions for every thread of every
/// block, with a barrier between the steps of the tree.
#pragma once

#include <cstdint>

#include "ptut/lcg.hpp"

/// Marks a function as compiled for both sides: `__host__ __device__` under nvcc,
/// nothing under g++ (the host tests, OpenMP offload).
#if defined(__CUDACC__)
#define CH11_HD __host__ __device__
#else
#define CH11_HD
#endif

/// Chapter 11: the GPU.
namespace ch11 {

/// Hides a value from the optimiser, as ptut::opaque does on the host: an empty
/// inline assembly statement that claims to change it (`l` is PTX's 64-bit register).
CH11_HD inline void opaque(std::uint64_t& value) {
#if defined(__CUDA_ARCH__)
  asm volatile("" : "+l"(value));
#else
  asm volatile("" : "+r"(value));
#endif
}

/// A zero that no compiler can see is zero: the program sets it at run time
/// (cuda_sums.cu on the device, omp_target.cpp before its target region).
#if defined(__CUDACC__)
__device__ std::uint64_t device_zero = 0;
#endif
#if !defined(__CUDACC__)
inline std::uint64_t target_zero = 0;
#endif

/// ptut::element on the device: `work` rounds of the same dependent arithmetic,
/// then i. The same function on the host is what the tests check it against.
CH11_HD inline std::uint64_t element(std::uint64_t i, unsigned work) {
  if (work == 0) {
    std::uint64_t value = i;
    opaque(value);
    return value;
  }
  std::uint64_t state = i;
  for (unsigned round = 0; round < work; ++round) {
    state = state * ptut::kLcgMultiplier + ptut::kLcgIncrement;  // Knuth's MMIX LCG
    opaque(state);
  }
  std::uint64_t value = i;
  opaque(value);
  // On a GPU opaque() is not enough: its empty statement becomes no instruction,
  // the assembler (ptxas) finds `state` unused and deletes the rounds (measured:
  // --work 16 ran as fast as --work 0). Adding `state & zero` cannot change the
  // value, but the compiler cannot know that zero is 0, so the rounds stay.
#if defined(__CUDA_ARCH__)
  value += state & device_zero;
#elif !defined(__CUDACC__)
  value += state & target_zero;
#endif
  return value;
}

/// The element at 0-based position `index` of 1..n, or 0 past the end: the last
/// block's spare threads add nothing.
CH11_HD inline std::uint64_t element_at(std::uint64_t index, std::uint64_t n,
                                        unsigned work) {
  return index < n ? element(index + 1, work) : 0;
}

// [tree_steps]
/// Harris's first kernel: interleaved addressing. At stride s, thread t adds its
/// neighbour s away if t is a multiple of 2s: half the threads of every warp idle
/// at the first step, and the modulo is slow.
CH11_HD inline void interleaved_step(std::uint64_t* shared, unsigned tid,
                                     unsigned stride) {
  if (tid % (2 * stride) == 0) shared[tid] += shared[tid + stride];
}

/// Sequential addressing: at stride s (halving from blockDim/2), the first s
/// threads add the second half onto the first. Whole warps idle together.
CH11_HD inline void sequential_step(std::uint64_t* shared, unsigned tid,
                                    unsigned stride) {
  if (tid < stride) shared[tid] += shared[tid + stride];
}
// [tree_steps]

// [first_add]
/// First add during load: thread t of block b adds two elements, `threads` apart,
/// so a block of T threads covers 2T elements and half the blocks are needed.
CH11_HD inline std::uint64_t first_add_load(std::uint64_t block, unsigned tid,
                                            unsigned threads, std::uint64_t n,
                                            unsigned work) {
  const std::uint64_t first = block * 2 * threads + tid;
  return element_at(first, n, work) + element_at(first + threads, n, work);
}
// [first_add]

// [grid_stride]
/// Brent's many elements per thread: thread `global` of `total` threads adds every
/// total-th element from its own, so a fixed grid covers any N.
CH11_HD inline std::uint64_t grid_stride_sum(std::uint64_t global, std::uint64_t total,
                                             std::uint64_t n, unsigned work) {
  std::uint64_t sum = 0;
  // Two copies of the loop, so that the one for --work 0 has no test of `work` in
  // it: the compiler cannot move that test out of a loop with opaque() inside.
  if (work == 0) {
    for (std::uint64_t index = global; index < n; index += total)
      sum += element(index + 1, 0);
  } else {
    for (std::uint64_t index = global; index < n; index += total)
      sum += element(index + 1, work);
  }
  return sum;
}
// [grid_stride]

/// The same over a real array of n values in device memory, read 16 bytes (two
/// values) at a time: `pairs` is the array seen as n / 2 pairs; the odd last value,
/// if any, is the caller's.
template <class Pair>
CH11_HD inline std::uint64_t grid_stride_pairs(const Pair* pairs, std::uint64_t global,
                                               std::uint64_t total, std::uint64_t n) {
  std::uint64_t sum = 0;
  for (std::uint64_t p = global; p < n / 2; p += total) {
    const Pair pair = pairs[p];
    sum += pair.x + pair.y;
  }
  return sum;
}

/// How many blocks of `per_block` elements cover n elements (at least one, so that
/// N = 0 still launches and writes its zero).
CH11_HD inline std::uint64_t blocks_for(std::uint64_t n, std::uint64_t per_block) {
  return n == 0 ? 1 : (n + per_block - 1) / per_block;
}

}  // namespace ch11
