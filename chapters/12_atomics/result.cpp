// Chapter 12's result as JSON: the facts of the variant's kind, beside the keys every
// chapter reports (ptut::run_json writes those).
#include <string>
#include <vector>

#include "atomics.hpp"

namespace ch12 {

void to_json(nlohmann::json& json, const Result& result) {
  json = nlohmann::json::object();
  switch (result.kind) {
    case Kind::counter:
      if (result.reads != 0) {
        json["reads"] = result.reads;
        json["last_read"] = std::to_string(result.last_read);
        json["ns_per_read"] = result.ns_per_read;
      }
      if (result.batches != 0) json["batches"] = result.batches;
      break;
    case Kind::lock:
      json["acquisitions"] = result.acquisitions;
      json["longest_wait"] = result.longest_wait;
      json["handoffs"] = result.handoffs;
      break;
    case Kind::phased: {
      std::vector<std::string> totals;
      for (const std::uint64_t total : result.phase_totals)
        totals.push_back(std::to_string(total));
      json["phase_totals"] = totals;
      break;
    }
    case Kind::bounded:
      json["permits"] = result.permits;
      json["most_running"] = result.most_running;
      break;
  }
}

}  // namespace ch12
