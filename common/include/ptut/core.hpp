/// \file
/// \brief What the short exercise programs share: `prog [N [K]]` read and checked,
/// and the last line. (The core listings, `chapters/NN_topic/core.cpp`, carry their
/// own few lines for this, so that each builds alone, without this project; the
/// full programs keep the command-line contract: flags, JSON, faults.)
#pragma once

#include <cstdint>
#include <string>

#include "ptut/contract.hpp"
#include "ptut/range.hpp"

namespace ptut {

/// Reads `core [N [K]]`. A value that is not a whole number in range (N at most
/// kMaxN, K from 1 to 256) ends the program: one line on stderr that starts with
/// the program's name, exit status 2. Also makes an exception that nobody catches
/// (a thread the system refused, say) end the program with one line on stderr and
/// exit status 1, instead of std::terminate's abort.
[[nodiscard]] CoreArgs core_args(int argc, char** argv);

/// Reads `prog [N [K [W]]]` for an exercise that makes one worker fail on purpose:
/// N and K as core_args() reads them, and `chosen` = W, the worker to fail, from 0
/// (none, the default) to K. Bad input ends the program as core_args() does.
[[nodiscard]] CoreArgs core_args_with_worker(int argc, char** argv, unsigned& chosen);

/// Prints "sum = S (expected E)" and returns the exit status: 0 when S is
/// N(N + 1)/2, 1 (with "wrong" on the line) otherwise.
[[nodiscard]] int report_sum(std::uint64_t sum, std::uint64_t n);

/// "1..10", or "nothing" for an empty chunk: a worker's part, for people.
[[nodiscard]] std::string describe(Chunk chunk);

}  // namespace ptut
