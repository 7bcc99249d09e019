// What a message through a Boost.Interprocess message_queue costs on this
// machine: Google Benchmark timings of the same exchanges chapter 4 measured
// through a pipe (its page, and this one, show both).
#include <benchmark/benchmark.h>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <system_error>

#include "message_queues.hpp"
#include "ptut/benchmark_main.hpp"

namespace {

namespace bip = boost::interprocess;

// A named queue for one benchmark, removed when it ends.
class BenchQueue {
 public:
  explicit BenchQueue(const std::string& which)
      : name_(ch05::queue_name(getpid(), "bench_" + which)),
        queue_(bip::create_only, name_.c_str(), 4, sizeof(ch05::Task)) {}
  BenchQueue(const BenchQueue&) = delete;
  BenchQueue& operator=(const BenchQueue&) = delete;
  ~BenchQueue() { bip::message_queue::remove(name_.c_str()); }
  bip::message_queue& operator*() { return queue_; }

 private:
  std::string name_;
  bip::message_queue queue_;
};

// [queue_costs]
// The floor: one send and one receive of a 32-byte task (chapter 4's record is
// 32 bytes too), no other process.
void send_then_receive_in_one_process(benchmark::State& state) {
  BenchQueue queue("one");
  ch05::Task task;
  std::size_t size = 0;
  unsigned priority = 0;
  for (auto _ : state) {
    (*queue).send(&task, sizeof task, 0);
    (*queue).receive(&task, sizeof task, size, priority);
  }
}
BENCHMARK(send_then_receive_in_one_process);

// A task to a child and back through a second queue: two wake-ups.
void round_trip(benchmark::State& state) {
  BenchQueue to_child("to_child");
  BenchQueue from_child("from_child");
  const pid_t child = fork();
  if (child < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    ch05::Task task;
    std::size_t size = 0;
    unsigned priority = 0;
    for (;;) {  // echoes until the parent kills it
      (*to_child).receive(&task, sizeof task, size, priority);
      (*from_child).send(&task, sizeof task, 0);
    }
  }
  ch05::Task task;
  std::size_t size = 0;
  unsigned priority = 0;
  for (auto _ : state) {
    (*to_child).send(&task, sizeof task, 0);  // never full: one message at a time
    const auto deadline = boost::posix_time::microsec_clock::universal_time() +
                          boost::posix_time::seconds(1);
    if (!(*from_child).timed_receive(&task, sizeof task, size, priority, deadline)) {
      state.SkipWithError("the echo child did not answer within 1 s");
      break;
    }
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}
BENCHMARK(round_trip);
// [queue_costs]

}  // namespace

int main(int argc, char** argv) {
  return ptut::run_benchmarks(argc, argv);
}
