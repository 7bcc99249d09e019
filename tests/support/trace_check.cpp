#include "trace_check.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <utility>

namespace ptut::testing {
namespace {

using Json = nlohmann::json;
using TrackId = std::pair<int, int>;

Json load(const std::string& path, std::vector<std::string>& problems) {
  std::ifstream in(path);
  if (!in) {
    problems.push_back("cannot read " + path);
    return {};
  }
  Json trace = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (trace.is_discarded())
    problems.push_back(path + " is not one JSON document");
  else if (!trace.is_object() || !trace.contains("traceEvents") ||
           !trace["traceEvents"].is_array())
    problems.push_back(path + " is not an object with a traceEvents array");
  return trace;
}

std::string where(std::size_t index, const Json& event) {
  return "event " + std::to_string(index) + " " + event.dump();
}

}  // namespace

std::vector<TraceSpan> TraceTrack::named(std::string_view name) const {
  std::vector<TraceSpan> found;
  for (const TraceSpan& span : spans) {
    if (span.name == name) found.push_back(span);
  }
  return found;
}

double TraceTrack::busy_from_ms() const {
  return spans.empty() ? 0.0 : spans.front().begin_ms;
}

double TraceTrack::last_end_ms() const {
  double last = 0;
  for (const TraceSpan& span : spans) last = std::max(last, span.end_ms);
  return last;
}

double TraceTrack::total_ms(std::string_view name) const {
  double total = 0;
  for (const TraceSpan& span : spans) {
    if (span.name == name) total += span.ms();
  }
  return total;
}

double TraceTrack::total_cpu_ms(std::string_view name) const {
  double total = 0;
  for (const TraceSpan& span : spans) {
    if (span.name == name) total += span.cpu_ms;
  }
  return total;
}

const TraceTrack* Trace::track(std::string_view name) const {
  for (const TraceTrack& track : tracks) {
    if (track.thread_name == name) return &track;
  }
  return nullptr;
}

std::vector<std::string> trace_problems(const std::string& path) {
  std::vector<std::string> problems;
  const Json trace = load(path, problems);
  if (!problems.empty()) return problems;
  std::map<TrackId, int> open;
  std::map<TrackId, double> last_ts;
  std::map<TrackId, bool> named;
  const Json& events = trace["traceEvents"];
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Json& event = events[i];
    if (!event.is_object() || !event.contains("ph") || !event["ph"].is_string() ||
        !event.contains("pid") || !event["pid"].is_number_integer() ||
        !event.contains("tid") || !event["tid"].is_number_integer() ||
        !event.contains("ts") || !event["ts"].is_number()) {
      problems.push_back(where(i, event) + " lacks ph, pid, tid or ts");
      continue;
    }
    const std::string phase = event["ph"];
    const TrackId track{event["pid"].get<int>(), event["tid"].get<int>()};
    const double ts = event["ts"].get<double>();
    if (phase == "M") {
      if (!event.contains("args") || !event["args"].contains("name") ||
          !event["args"]["name"].is_string())
        problems.push_back(where(i, event) + ": a metadata event without args.name");
      if (event.value("name", "") == "thread_name") named[track] = true;
      continue;
    }
    if (ts < 0) problems.push_back(where(i, event) + ": a negative timestamp");
    if (last_ts.count(track) && ts < last_ts[track])
      problems.push_back(where(i, event) + ": goes back in time on its track");
    last_ts[track] = ts;
    if (phase == "B") {
      if (!event.contains("name") || !event["name"].is_string())
        problems.push_back(where(i, event) + ": a begin without a name");
      ++open[track];
    } else if (phase == "E") {
      if (open[track] == 0)
        problems.push_back(where(i, event) + ": an end without a begin");
      else
        --open[track];
    } else if (phase == "X") {
      if (!event.contains("dur") || !event["dur"].is_number() || event["dur"] < 0 ||
          !event.contains("name"))
        problems.push_back(where(i, event) + ": a complete event without name or dur");
    } else {
      problems.push_back(where(i, event) + ": phase '" + phase + "' is not one we write");
    }
  }
  for (const auto& [track, count] : open) {
    if (count != 0)
      problems.push_back("track " + std::to_string(track.first) + "/" +
                         std::to_string(track.second) + " has " + std::to_string(count) +
                         " spans never ended");
  }
  for (const auto& [track, ts] : last_ts) {
    if (!named[track])
      problems.push_back("track " + std::to_string(track.first) + "/" +
                         std::to_string(track.second) + " has no thread_name");
  }
  return problems;
}

Trace read_trace(const std::string& path) {
  std::vector<std::string> problems;
  const Json trace = load(path, problems);
  Trace result;
  if (!problems.empty()) return result;
  std::map<TrackId, std::size_t> index;
  std::map<int, std::string> process_names;
  auto track_for = [&](const TrackId& id) -> TraceTrack& {
    auto [at, added] = index.try_emplace(id, result.tracks.size());
    if (added) result.tracks.push_back(TraceTrack{id.first, id.second, {}, {}, {}});
    return result.tracks[at->second];
  };
  std::map<TrackId, std::vector<std::size_t>> open;  // indexes into the track's spans
  for (const Json& event : trace["traceEvents"]) {
    const std::string phase = event.value("ph", "");
    const TrackId id{event.value("pid", 0), event.value("tid", 0)};
    TraceTrack& track = track_for(id);
    const double ms = event.value("ts", 0.0) / 1000.0;
    if (phase == "M") {
      const std::string name = event["args"].value("name", "");
      if (event.value("name", "") == "thread_name") track.thread_name = name;
      if (event.value("name", "") == "process_name") process_names[id.first] = name;
    } else if (phase == "B") {
      open[id].push_back(track.spans.size());
      track.spans.push_back(TraceSpan{event.value("name", ""),
                                      ms,
                                      ms,
                                      {},
                                      event.value("args", Json::object()),
                                      -event.value("tts", 0.0) / 1000.0});
    } else if (phase == "E" && !open[id].empty()) {
      TraceSpan& span = track.spans[open[id].back()];
      open[id].pop_back();
      span.end_ms = ms;
      span.cpu_ms =
          event.contains("tts") ? span.cpu_ms + event["tts"].get<double>() / 1000.0 : 0.0;
      const Json end_args = event.value("args", Json::object());
      for (const auto& [key, value] : end_args.items()) {
        span.args[key] = value;
        if (key == "ended") span.ended = value.get<std::string>();
      }
    } else if (phase == "X") {
      TraceSpan span{event.value("name", ""),
                     ms,
                     ms + event.value("dur", 0.0) / 1000.0,
                     {},
                     event.value("args", Json::object()),
                     0.0};
      span.ended = span.args.value("ended", "");
      track.spans.push_back(std::move(span));
    }
  }
  for (TraceTrack& track : result.tracks) track.process_name = process_names[track.pid];
  return result;
}

void expect_never_two_at_once(const Trace& trace, const char* name) {
  std::vector<std::pair<double, double>> spans;
  for (const TraceTrack& track : trace.tracks) {
    for (const TraceSpan& span : track.named(name))
      spans.emplace_back(span.begin_ms, span.end_ms);
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t i = 1; i < spans.size(); ++i)
    EXPECT_LE(spans[i - 1].second, spans[i].first) << name << " " << i;
}

void expect_died_in(const Trace& trace, std::string_view track, std::string_view span,
                    std::string_view how) {
  const TraceTrack* dead = trace.track(track);
  ASSERT_NE(dead, nullptr) << track;
  const std::vector<TraceSpan> cut = dead->named(span);
  ASSERT_FALSE(cut.empty()) << track << " has no " << span;
  EXPECT_NE(cut.back().ended.find(how), std::string::npos) << cut.back().ended;
  EXPECT_EQ(dead->named("died").size(), 1u) << track;
}

}  // namespace ptut::testing
