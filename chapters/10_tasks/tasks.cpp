// Chapter 10: the table that names the variants, the plan that cuts 1..N into
// tasks, and the run that times one variant.
#include "tasks.hpp"

#include <algorithm>

#include "job.hpp"
#include "ptut/timing.hpp"
#include "variants.hpp"

namespace ch10 {
namespace {

// [variants]
struct Way {
  ptut::Variant variant;
  std::uint64_t (*run)(Job& job);
  bool one_task_per_worker = false;  // static: the article's split, as tasks
};
const Way kWays[] = {
    {{"pool", "a boost::asio::thread_pool of K threads; tasks posted, futures back"},
     asio_pool},
    {{"async", "std::async(std::launch::async) per task: a new thread for each"},
     async_each},
    {{"packaged", "the pool written out: std::jthreads, one queue of packaged_tasks"},
     packaged},
    {{"stealing", "tbb::task_group: a deque per thread, idle threads steal"}, stealing},
    {{"static", "K equal tasks on the pool, one per thread: no balancing"},
     asio_pool,
     true},
};
// [variants]

}  // namespace

bool on_onetbb(std::string_view variant) {
  return ptut::find_variant(kWays, variant).run == stealing;
}

bool one_task_per_worker(std::string_view variant) {
  return ptut::find_variant(kWays, variant).one_task_per_worker;
}

Plan plan_of(const Config& config) {
  const ptut::Options& options = config.options;
  if (one_task_per_worker(options.variant))
    return Plan::one_per_worker(options.n, options.workers);
  return Plan::chunks_of(
      options.n,
      config.chunk != 0 ? config.chunk : ptut::default_chunk(options.n, options.workers));
}

ptut::ChapterSpec spec() {
  return {
      .target = "ch10_tasks",
      .title = "Chapter 10: tasks",
      .about =
          "Chapter 10: the sum of 1..N as tasks, C++'s Pool.map and "
          "concurrent.futures: 1..N cut into chunks (--chunk), each a task; a "
          "thread pool, a thread per task, a hand-written pool and work stealing "
          "run them, and futures bring back results and exceptions.",
      .variants = ptut::variants_of(kWays),
      .default_variant = "pool",
      .has_workers = true,
      .no_workers_reason = "",
      .traceable = true,
  };
}

void to_json(nlohmann::json& json, const TaskFacts& facts) {
  json = {
      {"tasks", facts.tasks},
      {"chunk", facts.chunk},
      {"skew", facts.skew},
      {"threads_used", facts.threads_used},
      {"ns_per_task", facts.ns_per_task},
  };
  if (facts.tasks_per_thread) json["tasks_per_thread"] = *facts.tasks_per_thread;
}

TaskFacts run(const Config& config) {
  const Way& way = ptut::find_variant(kWays, config.options.variant);
  Job job(config, plan_of(config));
  const ptut::Stopwatch stopwatch;
  const std::uint64_t sum = way.run(job);
  TaskFacts result;
  result.seconds = stopwatch.seconds();
  result.sum = sum;
  std::vector<std::uint64_t> per_thread = job.tasks_per_thread();
  result.tasks = job.tasks();
  result.chunk = job.plan().size();
  result.skew = config.skew;
  result.threads_used =
      static_cast<unsigned>(std::count_if(per_thread.begin(), per_thread.end(),
                                          [](std::uint64_t count) { return count > 0; }));
  // Only where it is short: async has a thread per task.
  if (per_thread.size() <= ptut::kMaxWorkers)
    result.tasks_per_thread = std::move(per_thread);
  result.ns_per_task = result.seconds * 1e9 / static_cast<double>(job.tasks());
  return result;
}

}  // namespace ch10
