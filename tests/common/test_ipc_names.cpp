#include <gtest/gtest.h>

#include <stdexcept>

#include "ptut/ipc_names.hpp"

namespace {

TEST(IpcName, CarriesPrefixChapterOwnerAndWhat) {
  EXPECT_EQ(ptut::ipc_name("ch02", 4711, "segment"), "ptut_ch02_4711_segment");
  EXPECT_EQ(ptut::ipc_name("ch05", 12, "task_queue"), "ptut_ch05_12_task_queue");
}

TEST(IpcName, OwnerAndChapterReadBack) {
  const std::string name = ptut::ipc_name("ch05", 31337, "result_queue");
  EXPECT_EQ(ptut::ipc_owner(name), 31337);
  EXPECT_EQ(ptut::ipc_chapter(name), "ch05");
  EXPECT_EQ(ptut::ipc_owner("sem." + name), 31337)
      << "POSIX semaphores show as sem.<name>";
}

TEST(IpcName, ForeignNamesHaveNoOwner) {
  for (const char* name :
       {"", "ptut_", "ptut_ch02", "ptut_ch02_", "ptut_ch02_12", "ptut_ch02__x",
        "ptut_ch02_12x_segment", "ptut_ch02_007_segment", "ptut_ch02_-3_segment",
        "ptut_ch02_0_x", "other_ch02_12_segment", "sem.other", "ptut_ch-2_12_x"}) {
    EXPECT_FALSE(ptut::ipc_owner(name).has_value()) << name;
    EXPECT_EQ(ptut::ipc_chapter(name), "") << name;
  }
}

TEST(IpcName, RefusesNamesItCouldNotReadBack) {
  EXPECT_THROW((void)ptut::ipc_name("ch_02", 1, "x"), std::invalid_argument);
  EXPECT_THROW((void)ptut::ipc_name("ch02", 1, ""), std::invalid_argument);
  EXPECT_THROW((void)ptut::ipc_name("ch02", 0, "x"), std::invalid_argument);
  EXPECT_THROW((void)ptut::ipc_name("ch02", 1, "a/b"), std::invalid_argument);
}

}  // namespace
