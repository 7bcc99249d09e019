// Chapter 5: what a run reports besides its sum: its facts as JSON, and a queue's
// lock that failed, named after the worker whose death left it held.
#include <string>
#include <vector>

#include "message_queues.hpp"
#include "ptut/process.hpp"

namespace ch05 {

ptut::RunFailed lock_failure(ptut::ChildProcesses& children, const std::string& error) {
  // Who had ended before the parent stops the rest: afterwards every worker it
  // killed would read "killed by SIGKILL" too, and the lowest number would be named.
  const std::vector<ptut::ChildEnd> ended_first = children.reap_ended();
  children.stop_all();
  for (const ptut::ChildEnd& end : ended_first) {
    if (!end.ok())
      return ptut::RunFailed(end.describe() + ", holding a queue's lock (" + error + ")");
  }
  return ptut::RunFailed("message queue: " + error);
}

void to_json(nlohmann::json& json, const QueueFacts& facts) {
  json = {
      {"chunks", facts.chunks},
      {"chunk_size", facts.chunk_size},
      {"chunks_by_worker", facts.chunks_by_worker},
      {"queue_depth", facts.queue_depth},
      {"task_queue_full", facts.task_queue_full},
      {"producer_waited_ms", facts.producer_waited * 1e3},
      {"skew", facts.skew},
      {"removed", facts.removed},
  };
}

}  // namespace ch05
