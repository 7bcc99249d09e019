#include "ptut/trace.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "ptut/cli.hpp"

namespace ptut::trace {
namespace {

// The file every process and thread of the run appends to (inherited across
// fork), and the Session that will finish it, if this process made one.
// Atomic: a thread still running when the program finishes the trace (a stuck
// task) may be writing an event just then.
std::atomic<int> trace_fd{-1};
Session* open_session = nullptr;

// What the parent learned as it reaped its workers; only it reads this.
struct ProcessEnd {
  pid_t pid;
  bool ok;
  std::string how;
  double at_us;
};
std::mutex ends_mutex;
std::vector<ProcessEnd> ends;

void append_text(std::string& line, std::string_view text) {
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      line += '\\';
      line += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      line += ' ';
    } else {
      line += c;
    }
  }
}

// One event, one line, one write(): O_APPEND makes each write land whole at the
// end of the file, whichever process or thread wrote it.
void write_event(char phase, std::string_view name, std::initializer_list<Arg> args,
                 std::string_view text_key = {}, std::string_view text = {}) {
  const int fd = trace_fd.load();
  if (fd < 0) return;
  char head[200];
  std::snprintf(head, sizeof head, R"({"ph":"%c","pid":%d,"tid":%d,"ts":%.3f)", phase,
                static_cast<int>(getpid()), static_cast<int>(gettid()), now_us());
  std::string line = head;
  if (phase == 'B' || phase == 'E') {
    // The thread's own CPU clock too ("tts", the format's thread timestamp): the
    // difference between a span's wall time and its CPU time is time the thread
    // spent without a core, waiting or descheduled.
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    std::snprintf(
        head, sizeof head, R"(,"tts":%.3f)",
        static_cast<double>(cpu.tv_sec) * 1e6 + static_cast<double>(cpu.tv_nsec) * 1e-3);
    line += head;
  }
  if (!name.empty()) {
    line += R"(,"name":")";
    append_text(line, name);
    line += '"';
  }
  if (args.size() > 0 || !text_key.empty()) {
    line += R"(,"args":{)";
    bool first = true;
    for (const Arg& arg : args) {
      line += first ? "\"" : ",\"";
      append_text(line, arg.key);
      line += "\":" + std::to_string(arg.value);
      first = false;
    }
    if (!text_key.empty()) {
      line += first ? "\"" : ",\"";
      append_text(line, text_key);
      line += "\":\"";
      append_text(line, text);
      line += '"';
    }
    line += '}';
  }
  line += "},\n";
  // A short write to a regular file means the disk is full: the trace is then cut
  // short, which is no reason to fail the run it describes.
  while (::write(fd, line.data(), line.size()) < 0 && errno == EINTR) {
  }
}

int open_for_append(const std::string& path, int extra_flags) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | extra_flags, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
  return fd;
}

using Json = nlohmann::json;
using Track = std::pair<int, int>;  // pid, tid

Track track_of(const Json& event) {
  return {event.at("pid").get<int>(), event.at("tid").get<int>()};
}

// The events written so far: the lines that hold one each (a line cut short by a
// full disk or a killed writer is skipped).
std::vector<Json> read_events(const std::string& path) {
  std::ifstream in(path);
  std::vector<Json> events;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() != '{') continue;
    if (line.back() == ',') line.pop_back();
    Json event = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_discarded()) events.push_back(std::move(event));
  }
  return events;
}

}  // namespace

double now_us() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) * 1e-3;
}

void begin(std::string_view name, std::initializer_list<Arg> args) {
  write_event('B', name, args);
}

void end(std::initializer_list<Arg> args) {
  write_event('E', {}, args);
}

void name_process(std::string_view name) {
  if (!on) return;
  write_event('M', "process_name", {}, "name", name);
  write_event('M', "thread_name", {}, "name", name);
}

void name_thread(std::string_view name) {
  if (!on) return;
  write_event('M', "thread_name", {}, "name", name);
}

void note_process_end(pid_t pid, bool ok, const std::string& how) {
  if (!on) return;
  const std::lock_guard lock(ends_mutex);
  ends.push_back({pid, ok, how, now_us()});
}

Session::Session(const CommandLine& cli, const Options& options) {
  if (options.trace.empty()) return;
  try {
    start(options.trace, cli.spec().target);
  } catch (const std::system_error& error) {
    cli.fail_usage("--trace: cannot write '" + options.trace +
                   "': " + error.code().message());
  }
}

Session::Session(const std::string& path, std::string_view process_name) {
  start(path, process_name);
}

void Session::start(const std::string& path, std::string_view process_name) {
  if (open_session != nullptr) throw std::logic_error("a trace is already being written");
  trace_fd = open_for_append(path, O_TRUNC);
  static constexpr char kArrayStart[] = "[\n";
  (void)!::write(trace_fd.load(), kArrayStart, sizeof kArrayStart - 1);
  path_ = path;
  owner_ = getpid();
  origin_us_ = now_us();
  finished_ = false;
  open_session = this;
  on = true;
  name_process(process_name);
  name_thread("main");
}

Session::~Session() {
  finish();
}

void append_to(const std::string& path) {
  if (trace_fd >= 0) throw std::logic_error("this process writes a trace already");
  trace_fd = open_for_append(path, 0);
  on = true;
}

void finish_open_session() {
  if (open_session != nullptr) open_session->finish();
}

void Session::finish() {
  if (finished_ || getpid() != owner_) return;
  finished_ = true;
  on = false;
  open_session = nullptr;
  // Left open, not closed: a thread still running (a stuck task) may be inside a
  // write() with it, and a closed number could be reused for another file. Its
  // late lines go to the file this one replaces, which the rename below unlinks.
  trace_fd = -1;

  std::vector<Json> events = read_events(path_);
  const double finished_at = now_us();
  // Replay each track's begins and ends: what is still open was cut short.
  std::map<Track, std::vector<std::string>> open_spans;
  std::map<Track, double> last_ts;
  for (const Json& event : events) {
    const std::string phase = event.at("ph");
    const Track track = track_of(event);
    if (phase == "M") continue;
    last_ts[track] = event.at("ts").get<double>();
    if (phase == "B") open_spans[track].push_back(event.value("name", ""));
    if (phase == "E" && !open_spans[track].empty()) open_spans[track].pop_back();
  }
  const std::lock_guard lock(ends_mutex);
  auto end_of = [&](int pid) -> const ProcessEnd* {
    for (const ProcessEnd& end : ends) {
      if (end.pid == pid) return &end;
    }
    return nullptr;
  };
  // A worker's unfinished spans end when its parent reaped it, saying how it ended.
  for (auto& [track, names] : open_spans) {
    const ProcessEnd* end = end_of(track.first);
    const double at = std::max(end ? end->at_us : finished_at, last_ts[track]);
    const std::string how = end ? end->how : "still open when the program ended";
    for (auto name = names.rbegin(); name != names.rend(); ++name) {
      events.push_back({{"ph", "E"},
                        {"pid", track.first},
                        {"tid", track.second},
                        {"ts", at},
                        {"name", *name},
                        {"args", {{"ended", how}}}});
    }
  }
  // Where a worker died, a mark on its track: the time its parent reaped it.
  for (const ProcessEnd& end : ends) {
    const Track track{end.pid, end.pid};
    if (end.ok || !last_ts.count(track)) continue;
    const double at = std::max(end.at_us, last_ts[track]);
    events.push_back({{"ph", "X"},
                      {"pid", end.pid},
                      {"tid", end.pid},
                      {"ts", at},
                      {"dur", 0},
                      {"name", "died"},
                      {"args", {{"ended", end.how}}}});
  }
  // The run starts at 0; names first, then the events in the order they happened.
  for (Json& event : events) {
    const bool metadata = event.at("ph") == "M";
    const double from_start = event.at("ts").get<double>() - origin_us_;
    event["ts"] = metadata ? 0.0 : std::round(std::max(0.0, from_start) * 1e3) / 1e3;
  }
  std::stable_sort(events.begin(), events.end(), [](const Json& a, const Json& b) {
    const bool a_meta = a.at("ph") == "M";
    const bool b_meta = b.at("ph") == "M";
    if (a_meta != b_meta) return a_meta;
    return a.at("ts").get<double>() < b.at("ts").get<double>();
  });

  // One event a line, as it was written: a reader can grep it.
  const std::string partial = path_ + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << "{\"displayTimeUnit\": \"ms\",\n \"otherData\": {\"clock\": "
           "\"CLOCK_MONOTONIC\", "
           "\"origin_us\": "
        << Json(origin_us_).dump() << "},\n \"traceEvents\": [\n";
    for (std::size_t i = 0; i < events.size(); ++i)
      out << "  " << events[i].dump() << (i + 1 < events.size() ? ",\n" : "\n");
    out << "]}\n";
  }
  std::rename(partial.c_str(), path_.c_str());
}

}  // namespace ptut::trace
