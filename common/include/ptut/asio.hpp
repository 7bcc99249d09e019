/// \file
/// \brief Boost.Asio, included the way that compiles under C++20 with Boost 1.74
/// and g++ 12.
///
/// Boost 1.74's catch-all `<boost/asio.hpp>` pulls in `awaitable.hpp`, which uses
/// `std::exchange` without including `<utility>`; g++ 12 in C++20 mode then fails
/// with "'exchange' is not a member of 'std'" (chriskohlhoff/asio#944). Chapters
/// include this header instead: it names only the parts they use, none of which
/// reaches `awaitable.hpp`, and includes `<utility>` first in case one ever does.
/// (Under ThreadSanitizer Asio's fences also trip g++'s -Wtsan; the tsan preset
/// passes -Wno-tsan.)
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
