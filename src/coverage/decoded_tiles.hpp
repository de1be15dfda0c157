#pragma once
// The decoded tiles of the grids, once per process. A window at native resolution
// is most of its time decoding the COG's DEFLATE tiles; GDAL 3.6's block cache
// keeps a decoded tile per open dataset, and a grid is read through several (one
// per processor, OpenGrids), so a tile a window decoded on one dataset was decoded
// again by the next window that got another: 64 random 512 x 512 windows of a
// 20,000 x 20,000 Float32 grid decoded most of their tiles anew. Here a tile is
// decoded once, by whichever thread asks first, and shared by every dataset of the
// grid, at most `budget` bytes, the least recently used leaving first.
//
// One cache per process, as coverage_memory(): what it shares out is the process's
// memory. The composition root sets its budget ([coverages] block_cache_mb).
#include <gdal.h>

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace amis::coverage {

using DecodedTile = std::shared_ptr<const std::vector<unsigned char>>;

class DecodedTiles {
 public:
  explicit DecodedTiles(std::int64_t budget_bytes) : budget_(budget_bytes) {}

  // Block (x, y) of `band` (its number in the dataset) of the grid `grid` (a key
  // that changes when the file does: OpenGrids' lease key), read with
  // GDALReadBlock from `dataset` when it is not here. With `keep` false, a tile not
  // here is not kept and one here keeps its place: the read of a window far larger
  // than what others share (each of its tiles read once) must not push theirs out.
  // @throws core::ServerError when GDAL cannot read it.
  DecodedTile block(const std::string& grid, GDALDatasetH dataset, int band, int x, int y, bool keep = true);

  void set_budget(std::int64_t bytes);
  std::int64_t budget() const;
  std::int64_t held() const;

 private:
  struct Entry {
    std::string key;
    DecodedTile tile;
  };
  void trim();  // under the mutex

  mutable std::mutex mutex_;
  std::int64_t budget_;
  std::int64_t held_ = 0;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

// The process's cache.
DecodedTiles& decoded_tiles();

// A window of `dataset` at native resolution, bands `bands` (1-based), as
// GDALDatasetRasterIO reads it into `out` (band after band, rows of `width`
// values of the bands' type) when every band has that type; read from
// decoded_tiles() (`keep`: as DecodedTiles::block). False when the bands' types
// differ (the caller reads with RasterIO instead).
// @throws core::ServerError when GDAL cannot read a tile.
bool read_window_from_tiles(const std::string& grid, GDALDatasetH dataset, const std::vector<int>& bands, int x0,
                            int y0, int width, int height, unsigned char* out, bool keep = true);

}  // namespace amis::coverage
