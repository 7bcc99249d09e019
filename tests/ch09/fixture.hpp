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

namespace ch09_testing {

#if defined(__SANITIZE_THREAD__)
// The tsan preset runs this chapter built with clang and LLVM's libomp, whose
// Archer tool tells ThreadSanitizer what OpenMP's barriers order (GCC's libgomp is
// not instrumented: TSan then reports races that are not there). oneTBB's library
// is not instrumented either, and no setting makes its variants report cleanly; a
// suppression file would hide real races too. Those variants are checked exact in
// the other presets.
inline constexpr bool kThreadSanitizer = true;
inline constexpr std::uint64_t kLarge = 200'000;  // per-element locks are slow under TSan
#else
inline constexpr bool kThreadSanitizer = false;
inline constexpr std::uint64_t kLarge = 2'000'000;
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
