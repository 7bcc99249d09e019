/// \file
/// \brief What chapter 3's full program adds around the approach: a thread that
/// throws on request (--fault W:throw), to show an exception carried out of a
/// thread instead of ending the program.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "ptut/fault.hpp"
#include "ptut/range.hpp"
#include "threads_atomics.hpp"

namespace ch03 {

/// What a thread's fault does once ptut::FaultPlan says it is due: it throws, and
/// the exception travels out of the thread to the caller (run()). `next` is the
/// element the thread had reached; past the chunk's end for a thread that
/// finished (a chunk too short to stop halfway in) or had nothing to do.
[[noreturn]] inline void strike(ptut::Chunk chunk, std::uint64_t next) {
  if (chunk.empty())
    throw std::runtime_error("injected fault: gave up before the first element");
  throw std::runtime_error("injected fault: gave up at element " + std::to_string(next));
}

}  // namespace ch03
