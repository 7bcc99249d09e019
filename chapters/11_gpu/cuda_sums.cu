// Chapter 11: the reduction steps as CUDA kernels, their launches and their timing.
// What each thread does is in steps.hpp, shared with the host tests; here are the
// parts only a GPU has: blocks, shared memory, barriers, warp shuffles, atomics.
#include <cuda_runtime.h>

#include <algorithm>
#include <cub/device/device_reduce.cuh>
#include <memory>
#include <string>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/transform_iterator.h>

#include "cuda_sums.hpp"
#include "steps.hpp"

namespace ch11 {
namespace {

using u64 = std::uint64_t;

void check(cudaError_t status, const std::string& call) {
  if (status != cudaSuccess) throw CudaError(call + ": " + cudaGetErrorString(status));
}

// Device memory that is freed however the run ends.
template <class T>
struct DeviceArray {
  explicit DeviceArray(u64 count, const char* what) {
    check(cudaMalloc(&data, std::max<u64>(count, 1) * sizeof(T)),
          std::string("cudaMalloc (") + what + ", " + std::to_string(count) + " values)");
  }
  ~DeviceArray() { cudaFree(data); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  T* data = nullptr;
};

struct Event {
  Event() { check(cudaEventCreate(&event), "cudaEventCreate"); }
  ~Event() { cudaEventDestroy(event); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  cudaEvent_t event{};
};

// Where a block's sum goes: added to the one total, or written for the second pass.
struct Sink {
  Combine combine;
  u64* total;
  u64* partials;
};

// [combine]
__device__ void finish_block(u64 block_sum, const Sink& sink) {
  if (sink.combine == Combine::atomic) {
    atomicAdd(reinterpret_cast<unsigned long long*>(sink.total),
              static_cast<unsigned long long>(block_sum));
  } else {
    sink.partials[blockIdx.x] = block_sum;
  }
}
// [combine]

// [warp_sum]
// The last 32 values, in the registers of warp 0: each step reads the value of the
// lane `offset` above, with no shared memory and no barrier (the lanes of a warp
// exchange registers directly). The mask says all 32 lanes take part.
__device__ u64 warp_sum(u64 value) {
  for (unsigned offset = 16; offset > 0; offset /= 2) {
    value += __shfl_down_sync(0xffffffffu, value, offset);
  }
  return value;
}

// A block's total, returned to thread 0: the tree in shared memory down to 32
// values, then warp 0's shuffles.
__device__ u64 block_sum(u64 value, u64* shared) {
  const unsigned tid = threadIdx.x;
  shared[tid] = value;
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride >= 32; stride /= 2) {
    sequential_step(shared, tid, stride);
    __syncthreads();
  }
  return tid < 32 ? warp_sum(shared[tid]) : 0;
}
// [warp_sum]

// [harris_kernels]
__global__ void interleaved_kernel(u64 n, unsigned work, Sink sink) {
  extern __shared__ u64 shared[];
  const unsigned tid = threadIdx.x;
  shared[tid] = element_at(u64{blockIdx.x} * blockDim.x + tid, n, work);
  __syncthreads();
  for (unsigned stride = 1; stride < blockDim.x; stride *= 2) {
    interleaved_step(shared, tid, stride);
    __syncthreads();
  }
  if (tid == 0) finish_block(shared[0], sink);
}

__global__ void sequential_kernel(u64 n, unsigned work, Sink sink) {
  extern __shared__ u64 shared[];
  const unsigned tid = threadIdx.x;
  shared[tid] = element_at(u64{blockIdx.x} * blockDim.x + tid, n, work);
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
    sequential_step(shared, tid, stride);
    __syncthreads();
  }
  if (tid == 0) finish_block(shared[0], sink);
}

__global__ void first_add_kernel(u64 n, unsigned work, Sink sink) {
  extern __shared__ u64 shared[];
  const unsigned tid = threadIdx.x;
  shared[tid] = first_add_load(blockIdx.x, tid, blockDim.x, n, work);
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
    sequential_step(shared, tid, stride);
    __syncthreads();
  }
  if (tid == 0) finish_block(shared[0], sink);
}

__global__ void warp_shuffle_kernel(u64 n, unsigned work, Sink sink) {
  extern __shared__ u64 shared[];
  const u64 sum =
      block_sum(first_add_load(blockIdx.x, threadIdx.x, blockDim.x, n, work), shared);
  if (threadIdx.x == 0) finish_block(sum, sink);
}

__global__ void grid_stride_kernel(u64 n, unsigned work, Sink sink) {
  extern __shared__ u64 shared[];
  const u64 threads = u64{gridDim.x} * blockDim.x;
  const u64 global = u64{blockIdx.x} * blockDim.x + threadIdx.x;
  const u64 sum = block_sum(grid_stride_sum(global, threads, n, work), shared);
  if (threadIdx.x == 0) finish_block(sum, sink);
}
// [harris_kernels]

__global__ void fill_kernel(u64* values, u64 n) {
  const u64 threads = u64{gridDim.x} * blockDim.x;
  for (u64 i = u64{blockIdx.x} * blockDim.x + threadIdx.x; i < n; i += threads) {
    values[i] = i + 1;
  }
}

__global__ void array_kernel(const u64* values, u64 n, Sink sink) {
  extern __shared__ u64 shared[];
  const u64 threads = u64{gridDim.x} * blockDim.x;
  const u64 global = u64{blockIdx.x} * blockDim.x + threadIdx.x;
  // cudaMalloc's memory is aligned for 16-byte loads
  u64 sum =
      grid_stride_pairs(reinterpret_cast<const ulonglong2*>(values), global, threads, n);
  if (global == 0 && n % 2 == 1) sum += values[n - 1];
  sum = block_sum(sum, shared);
  if (threadIdx.x == 0) finish_block(sum, sink);
}

// [second_pass]
// The second pass: one block adds the blocks' partial sums.
__global__ void second_pass_kernel(const u64* partials, u64 count, u64* total) {
  extern __shared__ u64 shared[];
  u64 sum = 0;
  for (u64 i = threadIdx.x; i < count; i += blockDim.x) sum += partials[i];
  sum = block_sum(sum, shared);
  if (threadIdx.x == 0) *total = sum;
}
// [second_pass]

// [element_of]
// What cub reads: element(i, work) for i = 1, 2, ..., made as it is read.
struct ElementOf {
  unsigned work;
  __host__ __device__ u64 operator()(u64 i) const { return element(i, work); }
};
// [element_of]

struct Launch {
  u64 blocks;
  unsigned threads;
};

// The kernel of one of Harris's steps, or grid_stride's; nullptr for cub and
// array, which launch their own.
void (*tree_kernel(Kernel kernel))(u64, unsigned, Sink) {
  switch (kernel) {
    case Kernel::interleaved:
      return interleaved_kernel;
    case Kernel::sequential:
      return sequential_kernel;
    case Kernel::first_add:
      return first_add_kernel;
    case Kernel::warp_shuffle:
      return warp_shuffle_kernel;
    case Kernel::grid_stride:
      return grid_stride_kernel;
    default:
      return nullptr;
  }
}

Launch launch_for(const DeviceJob& job, int multiprocessors) {
  const u64 threads = job.threads;
  switch (job.kernel) {
    case Kernel::interleaved:
    case Kernel::sequential:
      return {blocks_for(job.n, threads), job.threads};
    case Kernel::first_add:
    case Kernel::warp_shuffle:
      return {blocks_for(job.n, 2 * threads), job.threads};
    default:  // grid_stride, array: a fixed grid that fills every multiprocessor
      return {job.blocks ? job.blocks : 8 * static_cast<u64>(multiprocessors),
              job.threads};
  }
}

}  // namespace

std::optional<std::string> no_device() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess)
    return std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
  if (count == 0) return std::string("cudaGetDeviceCount: no CUDA device");
  return std::nullopt;
}

DeviceRun run_on_device(const DeviceJob& job) {
  cudaDeviceProp properties{};
  check(cudaGetDeviceProperties(&properties, 0), "cudaGetDeviceProperties");
  DeviceRun run;
  run.device = properties.name;
  run.multiprocessors = properties.multiProcessorCount;

  const u64 zero = 0;  // see element() in steps.hpp
  check(cudaMemcpyToSymbol(device_zero, &zero, sizeof zero), "cudaMemcpyToSymbol");
  DeviceArray<u64> total(1, "the total");
  const auto stream = cudaStream_t{};  // the default stream: launches run in order
  Event start, stop;
  const auto timed = [&](auto&& launch, const char* what) {
    for (unsigned r = 0; r <= job.repeat; ++r) {  // r = 0: the warm-up launch
      check(cudaMemsetAsync(total.data, 0, sizeof(u64), stream), "cudaMemsetAsync");
      check(cudaEventRecord(start.event, stream), "cudaEventRecord");
      launch();
      check(cudaGetLastError(), std::string("the launch of ") + what);
      check(cudaEventRecord(stop.event, stream), "cudaEventRecord");
      check(cudaEventSynchronize(stop.event), std::string("the kernels of ") + what);
      float ms = 0;
      check(cudaEventElapsedTime(&ms, start.event, stop.event), "cudaEventElapsedTime");
      u64 sum = 0;
      check(cudaMemcpy(&sum, total.data, sizeof sum, cudaMemcpyDeviceToHost),
            "cudaMemcpy (the total)");
      if (r == 0) continue;
      if (r > 1 && sum != run.sum) run.every_launch_agreed = false;
      run.sum = sum;
      run.kernel_seconds.push_back(ms / 1e3);
    }
  };

  // [cub]
  if (job.kernel == Kernel::cub) {
    auto elements = thrust::make_transform_iterator(
        thrust::make_counting_iterator<u64>(1), ElementOf{job.work});
    const auto count = static_cast<std::int64_t>(job.n);
    std::size_t temp_bytes = 0;
    check(
        cub::DeviceReduce::Sum(nullptr, temp_bytes, elements, total.data, count, stream),
        "cub::DeviceReduce::Sum (size query)");
    DeviceArray<unsigned char> temp(temp_bytes, "cub's temporary storage");
    timed(
        [&] {
          check(cub::DeviceReduce::Sum(temp.data, temp_bytes, elements, total.data, count,
                                       stream),
                "cub::DeviceReduce::Sum");
        },
        "cub::DeviceReduce::Sum");
    return run;
  }
  // [cub]

  const Launch launch = launch_for(job, run.multiprocessors);
  run.blocks = launch.blocks;
  run.threads = launch.threads;
  if (launch.blocks > 0x7fffffffULL)
    throw CudaError("the launch needs " + std::to_string(launch.blocks) +
                    " blocks, more than a grid can have (2^31 - 1)");
  const auto grid = static_cast<unsigned>(launch.blocks);
  const std::size_t shared_bytes = launch.threads * sizeof(u64);
  DeviceArray<u64> partials(job.combine == Combine::pass ? launch.blocks : 1,
                            "the blocks' partial sums");
  const Sink sink{job.combine, total.data, partials.data};
  const auto combine = [&] {
    if (job.combine == Combine::pass) {
      second_pass_kernel<<<1, 1024, 1024 * sizeof(u64), stream>>>(
          partials.data, launch.blocks, total.data);
    }
  };

  if (job.kernel == Kernel::array) {
    DeviceArray<u64> values(job.n, "the array");
    fill_kernel<<<grid, launch.threads, 0, stream>>>(values.data, job.n);
    check(cudaGetLastError(), "the launch of fill_kernel");
    timed(
        [&] {
          array_kernel<<<grid, launch.threads, shared_bytes, stream>>>(values.data, job.n,
                                                                       sink);
          combine();
        },
        "array_kernel");
    return run;
  }

  const auto kernel = tree_kernel(job.kernel);
  if (kernel == nullptr) throw CudaError("no kernel of its own for " + job.name);
  timed(
      [&] {
        kernel<<<grid, launch.threads, shared_bytes, stream>>>(job.n, job.work, sink);
        combine();
      },
      (job.name + "_kernel").c_str());
  return run;
}

std::vector<double> copy_bandwidth(std::uint64_t bytes, unsigned repeat) {
  DeviceArray<unsigned char> from(bytes, "the copy's source");
  DeviceArray<unsigned char> to(bytes, "the copy's destination");
  check(cudaMemset(from.data, 1, bytes), "cudaMemset");
  Event start, stop;
  std::vector<double> rates;
  for (unsigned r = 0; r <= repeat; ++r) {
    check(cudaEventRecord(start.event), "cudaEventRecord");
    check(cudaMemcpy(to.data, from.data, bytes, cudaMemcpyDeviceToDevice),
          "cudaMemcpy (device to device)");
    check(cudaEventRecord(stop.event), "cudaEventRecord");
    check(cudaEventSynchronize(stop.event), "the copy");
    float ms = 0;
    check(cudaEventElapsedTime(&ms, start.event, stop.event), "cudaEventElapsedTime");
    if (r > 0) rates.push_back(2.0 * static_cast<double>(bytes) / (ms / 1e3));
  }
  return rates;
}

}  // namespace ch11
