#include "ptut/ipc_names.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>

namespace ptut {
namespace {

bool alnum(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) != 0;
  });
}

bool alnum_or_underscore(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_';
  });
}

struct Parts {
  std::string_view chapter;
  pid_t owner = 0;
};

std::optional<Parts> parse(std::string_view name) {
  if (name.substr(0, 4) == "sem.") name.remove_prefix(4);
  if (name.substr(0, kIpcPrefix.size()) != kIpcPrefix) return std::nullopt;
  name.remove_prefix(kIpcPrefix.size());
  const auto chapter_end = name.find('_');
  if (chapter_end == std::string_view::npos) return std::nullopt;
  Parts parts;
  parts.chapter = name.substr(0, chapter_end);
  name.remove_prefix(chapter_end + 1);
  const auto pid_end = name.find('_');
  if (pid_end == std::string_view::npos || pid_end == 0 || name.front() == '0')
    return std::nullopt;
  const auto [end, error] =
      std::from_chars(name.data(), name.data() + pid_end, parts.owner);
  if (error != std::errc() || end != name.data() + pid_end || parts.owner <= 0)
    return std::nullopt;
  if (!alnum(parts.chapter) || !alnum_or_underscore(name.substr(pid_end + 1)))
    return std::nullopt;
  return parts;
}

}  // namespace

std::string ipc_name(std::string_view chapter, pid_t owner, std::string_view what) {
  if (!alnum(chapter) || !alnum_or_underscore(what) || owner <= 0) {
    throw std::invalid_argument("ipc_name: bad chapter, owner or object name");
  }
  return std::string(kIpcPrefix) + std::string(chapter) + "_" + std::to_string(owner) +
         "_" + std::string(what);
}

std::optional<pid_t> ipc_owner(std::string_view name) {
  const auto parts = parse(name);
  if (!parts) return std::nullopt;
  return parts->owner;
}

std::string ipc_chapter(std::string_view name) {
  const auto parts = parse(name);
  return parts ? std::string(parts->chapter) : std::string();
}

bool process_alive(pid_t pid) noexcept {
  return kill(pid, 0) == 0 || errno != ESRCH;
}

std::vector<std::string> remove_stale_ipc_objects(std::string_view chapter) {
  std::vector<std::string> removed;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kShmDirectory, error)) {
    const std::string name = entry.path().filename().string();
    const auto owner = ipc_owner(name);
    if (!owner || ipc_chapter(name) != chapter) continue;
    if (*owner != getpid() && process_alive(*owner)) continue;
    if (std::filesystem::remove(entry.path(), error)) removed.push_back(name);
  }
  return removed;
}

}  // namespace ptut
