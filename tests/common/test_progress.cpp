#include <gtest/gtest.h>

#include <sstream>

#include "ptut/progress.hpp"

namespace {

TEST(Progress, ShowsOneLineRewrittenInPlaceAndErasesIt) {
  std::ostringstream out;
  {
    ptut::Progress progress(200, out, /*enabled=*/true, /*delay=*/0.0, /*interval=*/0.0);
    progress.update(50);
    EXPECT_EQ(out.str().rfind("\r   25% of 200 elements, ", 0), 0u) << out.str();
    EXPECT_EQ(out.str().find('\n'), std::string::npos) << "never a new line";
  }
  EXPECT_EQ(out.str().substr(out.str().size() - 4), "\r\033[K")
      << "the line is erased at the end";
}

TEST(Progress, SaysNothingWhenNotATerminalOrNotYetLate) {
  std::ostringstream quiet;
  {
    ptut::Progress off(200, quiet, /*enabled=*/false, 0.0, 0.0);
    off.update(100);
    ptut::Progress early(200, quiet, /*enabled=*/true, /*delay=*/3600.0, 0.0);
    early.update(100);
  }
  EXPECT_EQ(quiet.str(), "");
}

}  // namespace
