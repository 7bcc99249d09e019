// Chapter 11 without a GPU: the kernels' per-thread code run by host loops
// (host_launch.hpp) for every variant, geometry and combine, against the closed
// form; the index arithmetic past 2^32; OpenMP offload's host fallback; and, where
// there is a device, the kernels themselves.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "gpu.hpp"
#include "host_launch.hpp"
#include "omp_target.hpp"
#include "oracle.hpp"
#include "ptut/work.hpp"

namespace {

using ptut::testing::expected_sum;
using u64 = std::uint64_t;

TEST(Ch11Steps, TheDevicesElementIsTheProjects) {
  for (const unsigned work : {0u, 1u, 16u}) {
    for (const u64 i : {1ULL, 2ULL, 1000ULL, 4'294'967'297ULL, 6'074'000'999ULL}) {
      EXPECT_EQ(ch11::element(i, work), ptut::element(i, work)) << i << ", work " << work;
      EXPECT_EQ(ch11::element(i, work), i);
    }
  }
  EXPECT_EQ(ch11::element_at(9, 10, 0), 10u);
  EXPECT_EQ(ch11::element_at(10, 10, 0), 0u) << "a spare thread adds nothing";
}

TEST(Ch11Steps, BlocksCoverEveryElementAndAtLeastOneBlockRuns) {
  EXPECT_EQ(ch11::blocks_for(0, 256), 1u);
  EXPECT_EQ(ch11::blocks_for(1, 256), 1u);
  EXPECT_EQ(ch11::blocks_for(256, 256), 1u);
  EXPECT_EQ(ch11::blocks_for(257, 256), 2u);
  // the project's largest N, one element per thread of 32: past 2^32 elements and
  // 2^27 blocks, under a grid's 2^31 - 1
  EXPECT_EQ(ch11::blocks_for(6'074'000'999, 32), 189'812'532u);
}

struct Geometry {
  std::string variant;
  unsigned threads;
  u64 grid;  // fixed grids only
};

class Ch11Host : public ::testing::TestWithParam<Geometry> {};

TEST_P(Ch11Host, EveryBlockSumAddsUpToTheClosedFormEitherWay) {
  const Geometry& g = GetParam();
  for (const u64 n : {0ULL, 1ULL, 2ULL, 31ULL, 32ULL, 33ULL, 255ULL, 256ULL, 257ULL,
                      1000ULL, 2047ULL, 2048ULL, 2049ULL, 100'003ULL}) {
    for (const unsigned work : {0u, 3u}) {
      const std::vector<u64> sums =
          ch11::host::block_sums(g.variant, n, work, g.threads, g.grid);
      ASSERT_FALSE(sums.empty()) << "at least one block, even for N = 0";
      // --combine atomic: every block adds its sum to the total, in any order
      EXPECT_EQ(std::accumulate(sums.begin(), sums.end(), u64{0}), expected_sum(n))
          << g.variant << " n=" << n << " threads=" << g.threads << " work=" << work;
      // --combine pass: the second kernel adds them
      EXPECT_EQ(ch11::host::second_pass(sums), expected_sum(n))
          << g.variant << " n=" << n << " threads=" << g.threads;
    }
  }
}

std::string geometry_name(const ::testing::TestParamInfo<Geometry>& info) {
  return info.param.variant + "_t" + std::to_string(info.param.threads) +
         (info.param.grid ? "_g" + std::to_string(info.param.grid) : "");
}

std::vector<Geometry> geometries() {
  std::vector<Geometry> all;
  for (const char* variant : {"interleaved", "sequential", "first_add", "warp_shuffle"})
    for (const unsigned threads : {32u, 64u, 256u, 1024u})
      all.push_back({variant, threads, 0});
  for (const char* variant : {"grid_stride", "array"})
    for (const unsigned threads : {32u, 256u, 1024u})
      for (const u64 grid : {1ULL, 3ULL, 40ULL}) all.push_back({variant, threads, grid});
  return all;
}

INSTANTIATE_TEST_SUITE_P(Kernels, Ch11Host, ::testing::ValuesIn(geometries()),
                         geometry_name);

// Past 2^32 elements the indices must be 64-bit everywhere: the first and last
// threads of a grid-stride grid sum their arithmetic series exactly.
TEST(Ch11Steps, AGridStrideThreadSumsItsSeriesPastTwoToThe32) {
  const u64 n = (1ULL << 32) + 12'345;
  const u64 total = 132ULL * 8 * 256;  // an H200's default grid of 256-thread blocks
  for (const u64 global : {u64{0}, total / 2, total - 1}) {
    // the thread visits global, global + total, ... below n: elements one higher
    const u64 count = (n - global + total - 1) / total;
    const u64 first = global + 1, last = global + 1 + (count - 1) * total;
    EXPECT_EQ(ch11::grid_stride_sum(global, total, n, 0), count * (first + last) / 2)
        << "thread " << global;
  }
  // the last block of the one-per-thread kernels reaches past 2^32 too
  const u64 last_block = ch11::blocks_for(n, 256) - 1;
  EXPECT_EQ(ch11::element_at(last_block * 256 + (n - 1) % 256, n, 0), n);
  const u64 block = ch11::blocks_for(n, 512) - 1, first = block * 512;
  EXPECT_EQ(ch11::first_add_load(block, 0, 256, n, 0),
            (first < n ? first + 1 : 0) + (first + 256 < n ? first + 257 : 0));
}

TEST(Ch11OmpTarget, BothFormsAreExactWhereverTheyRun) {
  for (const auto sum : {&ch11::omp_target_sum, &ch11::omp_target_simd_sum}) {
    const char* form = sum == &ch11::omp_target_sum ? "omp_target" : "omp_target_simd";
    for (const u64 n : {0ULL, 1ULL, 2ULL, 20ULL, 33ULL, 257ULL, 1000ULL, 1'000'003ULL}) {
      for (const unsigned work : {0u, 4u}) {
        const ch11::TargetRun run = sum(n, work);
        EXPECT_EQ(run.sum, expected_sum(n)) << form << " n=" << n << " work=" << work;
        EXPECT_EQ(run.on_device, run.devices > 0) << form << " n=" << n;
      }
    }
  }
}

// The kernels themselves, on a device, where there is one.
TEST(Ch11Device, EveryVariantIsExactOnTheDevice) {
#ifndef PTUT_CH11_CUDA
  GTEST_SKIP() << "this build has no CUDA variants (CMake found no CUDA compiler)";
#else
  if (const auto reason = ch11::no_device())
    GTEST_SKIP() << "no CUDA device: " << *reason;
  for (const char* variant : {"interleaved", "sequential", "first_add", "warp_shuffle",
                              "grid_stride", "cub", "array"}) {
    for (const u64 n : {0ULL, 1ULL, 33ULL, 257ULL, 1'000'003ULL, (1ULL << 32) + 5}) {
      for (const auto combine : {ch11::Combine::atomic, ch11::Combine::pass}) {
        ch11::Config config;
        config.options.variant = variant;
        config.options.n = n;
        config.combine = combine;
        const ch11::GpuFacts result = ch11::run(config);
        EXPECT_EQ(result.sum, expected_sum(n)) << variant << " n=" << n;
        if (std::string(variant) == "cub") break;  // CUB combines its own way
      }
    }
  }
#endif
}

// The page's GPU tables come from this file: it must be a whole check, every run
// exact, on a named machine.
TEST(Ch11Reference, IsACompleteCheckWhereEveryRunWasExact) {
  std::ifstream file(PTUT_SOURCE_DIR "/chapters/11_gpu/reference/device_check.json");
  ASSERT_TRUE(file) << "no reference device check";
  const auto data = nlohmann::json::parse(file);
  EXPECT_TRUE(data["failures"].empty()) << data["failures"].dump();
  EXPECT_NE(data["machine"]["gpu"].get<std::string>(), "");
  EXPECT_NE(data["measured_at"].get<std::string>(), "");
  EXPECT_EQ(data["exactness"]["exit"], 0);
  EXPECT_GT(data["ceiling"]["median_bytes_per_second"].get<double>(), 0);
  std::set<std::string> timed;
  for (const auto& run : data["runs"]) {
    EXPECT_EQ(run["exit"], 0) << run.dump();
    if (!run.contains("result") || !run["result"].contains("correct")) continue;
    EXPECT_EQ(run["result"]["correct"], true) << run["what"];
    if (run["result"]["n"] == 6'074'000'999ULL)
      timed.insert(run["what"].get<std::string>());
  }
  for (const char* what : {"step interleaved", "step sequential", "step first_add",
                           "step warp_shuffle", "step grid_stride", "step cub",
                           "step grid_stride pass", "cpu omp_for", "omp_target"}) {
    EXPECT_TRUE(timed.count(what)) << what << " was not timed at the largest N";
  }
}

}  // namespace
