// Chapter 11's CUDA approach alone: one kernel. Each GPU thread sums its grid-stride
// share of 1..N in a register, then adds it to the one total in the card's memory
// with a single 64-bit atomicAdd; the host copies the total back and checks it.
// Harris's steps, on the page, then make the adding faster.
//   nvcc -O2 -arch=sm_80 core.cu -o core_cu && ./core_cu 2000000
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// The problem, the same in every core: `./core [N [K]]` sums 1..N with K workers.
std::uint64_t argument(const char* text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;  // from_chars: digits only, no sign, no space, no overflow
  const auto [end, error] = std::from_chars(text, text + std::strlen(text), value);
  if (error == std::errc{} && *end == '\0' && value >= low && value <= high) return value;
  std::fprintf(stderr, "%s: not '%s'; usage: [N [K]], N 0 to 6074000999, K 1 to 256\n",
               program_invocation_short_name, text);
  std::exit(2);
}
int report_sum(std::uint64_t sum, std::uint64_t n) {  // N(N + 1)/2, with no overflow
  const std::uint64_t expected = n % 2 == 0 ? n / 2 * (n + 1) : (n + 1) / 2 * n;
  std::printf("sum = %" PRIu64 " (expected %" PRIu64 "%s)\n", sum, expected,
              sum == expected ? "" : ": wrong");
  return sum == expected ? 0 : 1;  // the exit status
}

__global__ void sum_kernel(unsigned long long n, unsigned long long* total) {
  const unsigned long long stride = 1ULL * gridDim.x * blockDim.x;  // threads in all
  unsigned long long partial = 0;  // private: no other thread sees it
  for (unsigned long long i = 1ULL * blockIdx.x * blockDim.x + threadIdx.x + 1; i <= n;
       i += stride)
    partial += i;  // neighbouring threads read neighbouring i: one pass, no gaps
  atomicAdd(total, partial);  // one atomic per thread, not one per element
}

int main(int argc, char** argv) {
  if (argc > 3) argument(argv[3], 1, 0);  // a third argument: refused, with the usage
  const std::uint64_t n = argc > 1 ? argument(argv[1], 0, 6074000999) : 20;
  const auto workers = static_cast<unsigned>(argc > 2 ? argument(argv[2], 1, 256) : 2);
  static_cast<void>(workers);  // K is not used: the launch below picks the threads
  unsigned long long* total = nullptr;  // in the GPU's memory
  cudaError_t status = cudaMalloc(&total, sizeof *total);
  if (status == cudaSuccess) status = cudaMemset(total, 0, sizeof *total);
  if (status == cudaSuccess) sum_kernel<<<1024, 256>>>(n, total);  // 1024 blocks of 256
  unsigned long long sum = 0;
  if (status == cudaSuccess) status = cudaGetLastError();  // did the launch start?
  if (status == cudaSuccess)  // waits for the kernel, then copies the total back
    status = cudaMemcpy(&sum, total, sizeof sum, cudaMemcpyDeviceToHost);
  cudaFree(total);
  if (status != cudaSuccess) {
    std::fprintf(stderr, "%s: CUDA: %s\n", program_invocation_short_name,
                 cudaGetErrorString(status));
    return 1;
  }
  return report_sum(sum, n);
}
