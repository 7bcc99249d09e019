/// \file
/// \brief K threads of one run, started together and joined, with what went wrong
/// named: the plumbing chapters 3 and 12 share around their approach.
#pragma once

#include <cstdint>
#include <exception>
#include <latch>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "ptut/failure.hpp"
#include "ptut/report.hpp"
#include "ptut/trace.hpp"

namespace ptut {

/// One step of a small run by thread `worker` (1-based), as print_step() prints it
/// ("  thread 2: i = 11, my sum = 11"), then a pause of kStepPause, so that the
/// threads visibly interleave.
inline void show_thread_step(unsigned worker, std::uint64_t i, std::string_view what,
                             std::uint64_t value) {
  print_step("thread " + std::to_string(worker), i, what, value);
  std::this_thread::sleep_for(kStepPause);
}

/// Runs `body(worker)` for worker = 1..workers, each on a std::jthread of its own,
/// and returns when every thread has ended.
///
/// The bodies start together: each thread first waits at a start line that opens
/// when the last thread has started, so that a race has a partner from the first
/// element and a timing does not count a thread that started late. If the system
/// refuses a thread (std::system_error from std::jthread), the threads already
/// started are let through the start line without running their bodies (a body
/// that waits for the others, at a barrier say, would otherwise wait for ever),
/// and RunFailed says "could not start thread K: …". If bodies throw, the lowest
/// such worker is named: "thread K threw: …". An exception never ends the process
/// through std::terminate. `unstartable`, for tests, makes thread K's start fail as
/// if the system had refused it (0: none).
///
/// Traced (`--trace`), each thread's track is named "thread K" and shows its
/// "start-up" (from its start to the start line's opening); the caller's shows
/// "start workers" and "wait" (for the joins). The body traces its own work.
// [team]
template <class Body>
void run_thread_team(unsigned workers, Body body, unsigned unstartable = 0) {
  std::latch start_line(workers);
  std::vector<std::exception_ptr> errors(workers);
  std::string start_failure;
  {
    // Declared before the threads, so that they end after the joins.
    trace::Span starting("start workers");
    trace::Span waiting;
    std::vector<std::jthread> threads;
    threads.reserve(workers);
    for (unsigned w = 1; w <= workers; ++w) {
      try {
        if (unstartable == w) {
          throw std::system_error(
              std::make_error_code(std::errc::resource_unavailable_try_again));
        }
        threads.emplace_back([&, w] {
          if (trace::on) trace::name_thread("thread " + std::to_string(w));
          {
            const trace::Span starting_up("start-up");
            start_line.arrive_and_wait();
          }
          if (!start_failure.empty()) return;  // written before the line opened
          try {
            body(w);
          } catch (...) {  // carried to the caller, not std::terminate
            errors[w - 1] = std::current_exception();
          }
        });
      } catch (const std::exception& refused) {
        start_failure =
            "could not start thread " + std::to_string(w) + ": " + refused.what();
        start_line.count_down(workers - w + 1);  // for this thread and the rest
        break;
      }
    }
    starting.close();
    waiting.open("wait");
  }  // each std::jthread joins in its destructor: every thread has ended here
  if (!start_failure.empty()) throw RunFailed(start_failure);
  for (unsigned w = 1; w <= workers; ++w) {
    if (!errors[w - 1]) continue;
    try {
      std::rethrow_exception(errors[w - 1]);
    } catch (const std::exception& error) {
      throw RunFailed("thread " + std::to_string(w) + " threw: " + error.what());
    } catch (...) {
      throw RunFailed("thread " + std::to_string(w) + " threw a non-standard exception");
    }
  }
}
// [team]

}  // namespace ptut
