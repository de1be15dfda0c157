#pragma once
// Tiles kept on disk, bounded in size. A key names the tile and the data
// versions it was made from (each collection's `updated` time), so a tile of
// changed data is never served: its key changes, and the stale file is evicted
// in time as the least recently used. Files are written under a temporary name
// and renamed, so a reader never sees half a tile, even across a crash.
#include <cstdint>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace amis::tiles {

class TileCache {
 public:
  // Scans `directory` (created when missing) for the tiles it already holds.
  TileCache(std::filesystem::path directory, std::uint64_t max_bytes);

  // `key` is a relative path made by tile_key(); nullopt when not cached.
  std::optional<std::string> get(const std::string& key);
  // Stores a tile; errors (a full disk) are logged and the tile is just not kept.
  void put(const std::string& key, std::string_view bytes);

  std::uint64_t size_bytes() const;
  std::size_t tiles() const;

 private:
  struct Entry {
    std::uint64_t bytes;
    std::list<std::string>::iterator use;  // position in recent_
  };
  void evict_locked();
  void touch_locked(Entry& entry);

  std::filesystem::path directory_;
  std::uint64_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // most recently used first
  std::uint64_t bytes_ = 0;
  std::uint64_t sequence_ = 0;
};

// The cache key of a tile: "<kind>/<tile matrix set>/<hash of the layers and
// their versions>/<level>/<row>/<col>.<extension>".
std::string tile_key(std::string_view kind, std::string_view tile_matrix_set, std::string_view layers_and_versions,
                     int level, long long row, long long col, std::string_view extension);

}  // namespace amis::tiles
