#include "tiles/tile_cache.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace amis::tiles {
namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: a stable hash (std::hash may change between builds).
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string tile_key(std::string_view kind, std::string_view tile_matrix_set, std::string_view layers_and_versions,
                     int level, long long row, long long col, std::string_view extension) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(layers_and_versions)));
  std::string key;
  key.append(kind).append("/").append(tile_matrix_set).append("/").append(hash);
  key += "/" + std::to_string(level) + "/" + std::to_string(row) + "/" + std::to_string(col) + ".";
  key.append(extension);
  return key;
}

TileCache::TileCache(fs::path directory, std::uint64_t max_bytes)
    : directory_(std::move(directory)), max_bytes_(max_bytes) {
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec) throw std::runtime_error("cannot create the tile cache " + directory_.string() + ": " + ec.message());
  // Older files first, so that the most recent end up at the front of recent_.
  std::vector<std::pair<fs::file_time_type, std::pair<std::string, std::uint64_t>>> found;
  for (auto it = fs::recursive_directory_iterator(directory_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto name = it->path().filename().string();
    if (name.starts_with(".tmp")) {  // a write a crash interrupted
      fs::remove(it->path(), ec);
      continue;
    }
    found.push_back({it->last_write_time(ec), {fs::relative(it->path(), directory_).string(), it->file_size(ec)}});
  }
  std::sort(found.begin(), found.end());
  for (auto& [time, file] : found) {
    recent_.push_front(file.first);
    entries_[file.first] = Entry{file.second, recent_.begin()};
    bytes_ += file.second;
  }
  std::lock_guard lock(mutex_);
  evict_locked();
}

void TileCache::touch_locked(Entry& entry) {
  recent_.splice(recent_.begin(), recent_, entry.use);
}

std::optional<std::string> TileCache::get(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    touch_locked(it->second);
  }
  std::ifstream in(directory_ / key, std::ios::binary);
  if (!in) return std::nullopt;  // evicted meanwhile
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void TileCache::put(const std::string& key, std::string_view bytes) {
  if (bytes.size() > max_bytes_) return;
  const fs::path path = directory_ / key;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::uint64_t sequence;
  {
    std::lock_guard lock(mutex_);
    sequence = ++sequence_;
  }
  const fs::path temporary = path.parent_path() / (".tmp" + std::to_string(sequence));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      spdlog::warn("tile cache: cannot write {}", temporary.string());
      fs::remove(temporary, ec);
      return;
    }
  }
  fs::rename(temporary, path, ec);
  if (ec) {
    spdlog::warn("tile cache: cannot keep {}: {}", key, ec.message());
    fs::remove(temporary, ec);
    return;
  }
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    bytes_ -= it->second.bytes;
    it->second.bytes = bytes.size();
    touch_locked(it->second);
  } else {
    recent_.push_front(key);
    entries_[key] = Entry{bytes.size(), recent_.begin()};
  }
  bytes_ += bytes.size();
  evict_locked();
}

void TileCache::evict_locked() {
  if (bytes_ <= max_bytes_) return;
  // Down to 90%, so that eviction does not run on every write.
  const std::uint64_t target = max_bytes_ / 10 * 9;
  std::error_code ec;
  while (bytes_ > target && !recent_.empty()) {
    const std::string key = recent_.back();
    recent_.pop_back();
    auto it = entries_.find(key);
    if (it == entries_.end()) continue;
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    fs::remove(directory_ / key, ec);
  }
}

std::uint64_t TileCache::size_bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t TileCache::tiles() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace amis::tiles
