/// \file
/// \brief Chapter 12: the statistical counter's reader, a thread that reads the
/// total while the threads add to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <stop_token>

#include "atomics.hpp"

namespace ch12 {

/// Calls `read` (the counter's read()) every `every` until `stop` is requested,
/// at least once; counts the reads in `result.reads`, keeps the last in
/// `result.last_read` and the median time of one read in `result.ns_per_read`.
/// Run it on a std::jthread, which passes the stop token: the wait between two
/// reads ends as soon as the stop is requested.
void read_while_running(std::stop_token stop, const std::function<std::uint64_t()>& read,
                        std::chrono::microseconds every, Result& result);

}  // namespace ch12
