/// \file
/// \brief What chapter 9's suites share: how the tsan preset runs the chapter (built
/// with clang and libomp, oneTBB left out), and a fixture that passes Archer's
/// option to the programs the tests start.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "leak_check.hpp"
#include "sanitizers.hpp"

namespace ch09_testing {

#if defined(PTUT_TSAN)
// The tsan preset runs this chapter built with clang and LLVM's libomp, whose
// Archer tool tells ThreadSanitizer what OpenMP's barriers order (GCC's libgomp is
// not instrumented: TSan then reports races that are not there). oneTBB's library
// is not instrumented either, and no setting makes its variants report cleanly; a
// suppression file would hide real races too. Those variants are checked exact in
// the other presets.
inline constexpr bool kThreadSanitizer = true;
#else
inline constexpr bool kThreadSanitizer = false;
#endif
// The grid's largest N. Per-element locks (omp_critical, omp_atomic) are slow under
// either sanitizer: 2,000,000 with 8 threads took half a minute under ASan, where
// every test of the default preset's grid takes well under a second.
#if defined(PTUT_TSAN) || defined(PTUT_ASAN)
inline constexpr std::uint64_t kLarge = 200'000;
#else
inline constexpr std::uint64_t kLarge = 2'000'000;
#endif

#if defined(PTUT_CH09_LLVM_OPENMP)
// The chapter runs on LLVM's libomp (built by clang: the asan preset, and this
// chapter in the tsan preset). Its `critical` without a hint is a fair queuing lock
// that hands the lock to the next thread in line; with more threads than cores that
// thread is often not running, and every other one waits until the scheduler runs
// it. Measured here (2 vCPUs, two busy processes beside it): omp_critical with 8
// threads and N = 200,000 made no progress for as long as the load lasted; with
// N = 2,000 it ended in a tenth of a second. Exactness is the same code at any N.
inline constexpr bool kFairCriticalLock = true;
#else
inline constexpr bool kFairCriticalLock = false;
#endif
/// The grid's largest N for `variant`: see kFairCriticalLock.
inline std::uint64_t grid_large_n(const std::string& variant) {
  return kFairCriticalLock && variant == "omp_critical" ? 2'000 : kLarge;
}

#if defined(PTUT_CH09_NO_IOTA)
// The chapter was built by clang 14, which cannot compile libstdc++'s
// std::views::iota: the program refuses std_par_iota (exit 2, one line) instead.
inline constexpr bool kIotaRefused = true;
#else
inline constexpr bool kIotaRefused = false;
#endif

/// The variants that run on oneTBB.
inline bool on_tbb(const std::string& variant) {
  return variant.rfind("std_par", 0) == 0 || variant == "tbb";
}

/// Checks that a test leaves no process or shared-memory object behind (NoLeaks), and
/// under TSan gives the programs it starts the option Archer asks for.
class Ch09Fixture : public ptut::testing::NoLeaks {
 protected:
  void SetUp() override {
    NoLeaks::SetUp();
    if (kThreadSanitizer) {
      // What Archer asks for: leave the uninstrumented OpenMP runtime's own
      // accesses out. Only the program started below reads it.
      const char* options = std::getenv("TSAN_OPTIONS");
      setenv("TSAN_OPTIONS",
             (std::string(options ? options : "") + ":ignore_noninstrumented_modules=1")
                 .c_str(),
             1);
    }
  }
};

}  // namespace ch09_testing
