#include "ptut/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace ptut {

Progress::Progress(std::uint64_t total)
    : Progress(total, std::cerr, isatty(STDERR_FILENO) == 1) {}

Progress::Progress(std::uint64_t total, std::ostream& out, bool enabled, double delay,
                   double interval)
    : total_(total), out_(out), enabled_(enabled), delay_(delay), interval_(interval) {}

Progress::~Progress() {
  if (last_shown_ >= 0) out_ << "\r\033[K" << std::flush;  // erase the line
}

void Progress::update(std::uint64_t done) {
  if (!enabled_ || total_ == 0) return;
  const double now = stopwatch_.seconds();
  if (now < delay_ || (last_shown_ >= 0 && now - last_shown_ < interval_)) return;
  last_shown_ = now;
  char line[96];
  std::snprintf(line, sizeof line, "\r  %3.0f%% of %llu elements, %.1f s",
                100.0 * done / total_, static_cast<unsigned long long>(total_), now);
  out_ << line << std::flush;
}

}  // namespace ptut
