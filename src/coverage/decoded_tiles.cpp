#include "coverage/decoded_tiles.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace amis::coverage {

DecodedTile DecodedTiles::block(const std::string& grid, GDALDatasetH dataset, int band, int x, int y, bool keep) {
  std::string key = grid;
  key.append("\n").append(std::to_string(band)).append(",").append(std::to_string(x)).append(",").append(
      std::to_string(y));
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      if (keep) recent_.splice(recent_.begin(), recent_, it->second);
      return it->second->tile;
    }
  }
  // Decoded outside the lock: other tiles are served meanwhile. Two threads asking
  // for the same tile at once both decode it; the second keeps the first's.
  GDALRasterBandH b = GDALGetRasterBand(dataset, band);
  int block_x = 0, block_y = 0;
  GDALGetBlockSize(b, &block_x, &block_y);
  const auto bytes = static_cast<std::size_t>(block_x) * static_cast<std::size_t>(block_y) *
                     static_cast<std::size_t>(GDALGetDataTypeSizeBytes(GDALGetRasterDataType(b)));
  auto tile = std::make_shared<std::vector<unsigned char>>(bytes);
  if (GDALReadBlock(b, x, y, tile->data()) != CE_None) throw core::ServerError("GDAL could not read a tile of the coverage");
  if (!keep) return tile;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    recent_.splice(recent_.begin(), recent_, it->second);
    return it->second->tile;
  }
  recent_.push_front({key, tile});
  index_.emplace(std::move(key), recent_.begin());
  held_ += static_cast<std::int64_t>(bytes);
  trim();
  return tile;
}

void DecodedTiles::trim() {
  while (held_ > budget_ && !recent_.empty()) {
    held_ -= static_cast<std::int64_t>(recent_.back().tile->size());
    index_.erase(recent_.back().key);
    recent_.pop_back();  // a tile a reader still holds lives until it lets go
  }
}

void DecodedTiles::set_budget(std::int64_t bytes) {
  std::lock_guard lock(mutex_);
  budget_ = bytes;
  trim();
}

std::int64_t DecodedTiles::budget() const {
  std::lock_guard lock(mutex_);
  return budget_;
}

std::int64_t DecodedTiles::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

DecodedTiles& decoded_tiles() {
  static DecodedTiles tiles{std::int64_t{256} << 20};
  return tiles;
}

bool read_window_from_tiles(const std::string& grid, GDALDatasetH dataset, const std::vector<int>& bands, int x0,
                            int y0, int width, int height, unsigned char* out, bool keep) {
  const GDALDataType type = GDALGetRasterDataType(GDALGetRasterBand(dataset, bands.front()));
  for (int band : bands)
    if (GDALGetRasterDataType(GDALGetRasterBand(dataset, band)) != type) return false;
  const auto value = static_cast<std::size_t>(GDALGetDataTypeSizeBytes(type));
  for (std::size_t i = 0; i < bands.size(); ++i) {
    GDALRasterBandH b = GDALGetRasterBand(dataset, bands[i]);
    int block_x = 0, block_y = 0;
    GDALGetBlockSize(b, &block_x, &block_y);
    unsigned char* plane = out + i * static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * value;
    for (int by = y0 / block_y; by * block_y < y0 + height; ++by) {
      for (int bx = x0 / block_x; bx * block_x < x0 + width; ++bx) {
        const DecodedTile tile = decoded_tiles().block(grid, dataset, bands[i], bx, by, keep);
        // The part of the tile inside the window, row by row.
        const int left = std::max(x0, bx * block_x), right = std::min(x0 + width, (bx + 1) * block_x);
        const int top = std::max(y0, by * block_y), bottom = std::min(y0 + height, (by + 1) * block_y);
        const auto run = static_cast<std::size_t>(right - left) * value;
        for (int row = top; row < bottom; ++row) {
          const auto from = (static_cast<std::size_t>(row - by * block_y) * static_cast<std::size_t>(block_x) +
                             static_cast<std::size_t>(left - bx * block_x)) * value;
          const auto to = (static_cast<std::size_t>(row - y0) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(left - x0)) * value;
          std::memcpy(plane + to, tile->data() + from, run);
        }
      }
    }
  }
  return true;
}

}  // namespace amis::coverage
