/// \file
/// \brief Bad command lines and the one-line refusal every chapter owes them.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runner.hpp"

namespace ptut::testing {

/// A command line that must be refused.
struct BadInput {
  std::string name;               ///< the test's name
  std::vector<std::string> args;  ///< the arguments
  std::string says;               ///< a fragment the one error line must contain
};

/// Shows the case's name in GoogleTest's messages.
inline void PrintTo(const BadInput& input, std::ostream* out) {
  *out << input.name;
}

/// Names parametrised tests after their case.
inline std::string bad_input_name(const ::testing::TestParamInfo<BadInput>& info) {
  return info.param.name;
}

/// The contract for a usage error: exit status 2, nothing on stdout, and exactly
/// one line on stderr that starts with the program's name and says what is wrong.
inline void expect_usage_error(const ProcessResult& r, std::string_view program,
                               const BadInput& input) {
  EXPECT_EQ(r.exit_code, 2) << r.how();
  EXPECT_EQ(r.out, "") << "nothing on stdout for a usage error";
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind(std::string(program) + ": ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(input.says), std::string::npos)
      << "expected '" << input.says << "' in: " << r.err;
}

}  // namespace ptut::testing
