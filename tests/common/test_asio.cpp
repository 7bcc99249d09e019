// Boost 1.74's Asio under C++20, as the pipe chapters use it: if this file
// compiles in every preset (tsan included) and runs, the toolchain is right.
#include "ptut/asio.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <chrono>

namespace {

namespace asio = boost::asio;

TEST(Asio, ReadsAPipeAndCatchesASignalInOneLoop) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  asio::io_context io;
  asio::posix::stream_descriptor reader(io, fds[0]);
  asio::signal_set signals(io, SIGUSR1);

  std::array<char, 5> buffer{};
  bool read_done = false;
  bool signal_seen = false;
  asio::async_read(reader, asio::buffer(buffer),
                   [&](boost::system::error_code error, std::size_t n) {
                     EXPECT_FALSE(error) << error.message();
                     EXPECT_EQ(n, buffer.size());
                     read_done = true;
                   });
  signals.async_wait([&](boost::system::error_code error, int number) {
    EXPECT_FALSE(error) << error.message();
    EXPECT_EQ(number, SIGUSR1);
    signal_seen = true;
  });
  ASSERT_EQ(write(fds[1], "hello", 5), 5);
  ASSERT_EQ(raise(SIGUSR1), 0);
  close(fds[1]);

  io.run_for(std::chrono::seconds(5));  // never wait forever
  EXPECT_TRUE(read_done);
  EXPECT_TRUE(signal_seen);
  EXPECT_EQ(std::string(buffer.data(), buffer.size()), "hello");
}

}  // namespace
