#include "approaches.hpp"

#include <stdexcept>

#include "fork_shared_memory.hpp"
#include "gil_contrast.hpp"
#include "message_queues.hpp"
#include "pipes.hpp"
#include "serial_sum.hpp"
#include "threads_atomics.hpp"

namespace ch07 {
namespace {

ptut::Options options_for(const std::string& variant, std::uint64_t n, unsigned workers, unsigned work) {
  ptut::Options options;
  options.n = n;
  options.workers = workers;
  options.variant = variant;
  options.work = work;
  return options;
}

// [registry]
// Each entry builds the chapter's own Config and calls the chapter's run():
// the numbers below are those of the code the chapters teach, not of a copy.
template <typename Config, typename Run>
Approach approach(std::string chapter, std::string short_name, std::string variant,
                  std::string workers_are, Sharing sharing, Run chapter_run) {
  Approach a;
  a.name = short_name + "." + variant;
  a.chapter = std::move(chapter);
  a.variant = variant;
  a.workers_are = std::move(workers_are);
  a.sharing = sharing;
  a.run = [variant, chapter_run](std::uint64_t n, unsigned workers, unsigned work) {
    Config config;
    config.options = options_for(variant, n, workers, work);
    if constexpr (std::is_same_v<Config, ch06::Config>) config.one_thread_baseline = false;
    return chapter_run(config);
  };
  return a;
}

std::vector<Approach> make_approaches() {
  Approach serial;
  serial.name = "ch01.loop";
  serial.chapter = "ch01_serial_sum";
  serial.variant = "loop";
  serial.sharing = Sharing::serial;
  serial.run = [](std::uint64_t n, unsigned, unsigned work) {
    return ch01::run(options_for("loop", n, 1, work));
  };

  const std::string ch02 = "ch02_fork_shared_memory", ch03 = "ch03_threads_atomics";
  return {
      serial,
      approach<ch02::Config>(ch02, "ch02", "locked", "processes", Sharing::per_element, ch02::run),
      approach<ch02::Config>(ch02, "ch02", "atomic", "processes", Sharing::per_element, ch02::run),
      approach<ch02::Config>(ch02, "ch02", "partials", "processes", Sharing::partials, ch02::run),
      approach<ch03::Config>(ch03, "ch03", "mutex", "threads", Sharing::per_element, ch03::run),
      approach<ch03::Config>(ch03, "ch03", "atomic", "threads", Sharing::per_element, ch03::run),
      approach<ch03::Config>(ch03, "ch03", "partials", "threads", Sharing::partials, ch03::run),
      approach<ch04::Config>("ch04_pipes", "ch04", "asio", "processes", Sharing::partials, ch04::run),
      approach<ch05::Config>("ch05_message_queues", "ch05", "dynamic", "processes", Sharing::partials, ch05::run),
      approach<ch05::Config>("ch05_message_queues", "ch05", "static", "processes", Sharing::partials, ch05::run),
      approach<ch06::Config>("ch06_gil_contrast", "ch06", "cpu", "threads", Sharing::serialized, ch06::run),
      approach<ch06::Config>("ch06_gil_contrast", "ch06", "nogil", "threads", Sharing::partials, ch06::run),
  };
}
// [registry]

}  // namespace

const std::vector<Approach>& approaches() {
  static const std::vector<Approach> all = make_approaches();
  return all;
}

const Approach& find_approach(const std::string& name) {
  for (const Approach& a : approaches()) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument("no approach called '" + name + "'");
}

std::string to_string(Sharing sharing) {
  switch (sharing) {
    case Sharing::serial: return "serial";
    case Sharing::per_element: return "per element";
    case Sharing::partials: return "partials";
    case Sharing::serialized: return "serialized";
  }
  return "?";
}

}  // namespace ch07
