/// \file
/// \brief Which sanitizer the tests were built with, asked the same way under GCC and
/// clang: GCC defines `__SANITIZE_ADDRESS__` and `__SANITIZE_THREAD__`, clang 14
/// defines neither and answers `__has_feature(address_sanitizer)` instead. The asan
/// preset builds with clang, the tsan preset with GCC, and a reader may swap them.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define PTUT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PTUT_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define PTUT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PTUT_TSAN 1
#endif
#endif

namespace ptut::testing {

/// True in a build with a sanitizer. Such a build runs some code many times slower
/// than the rest, so a test that compares how long two parts of a run took (a
/// trace's spans) compares the instrumentation, not the parts: it checks that in
/// the default build only.
#if defined(PTUT_ASAN) || defined(PTUT_TSAN)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace ptut::testing
