#pragma once
// The JSON documents of OGC API - Tiles: tile matrix sets (2D-TMS 2.0 JSON),
// tileset lists and tileset metadata.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "tiles/tile_matrix_set.hpp"

namespace amis::api::tiles {

inline constexpr const char* kMvtMediaType = "application/vnd.mapbox-vector-tile";

nlohmann::json tile_matrix_sets_json(const std::string& base);
nlohmann::json tile_matrix_set_json(const amis::tiles::TileMatrixSet& set);

struct TilesetTarget {
  bool vector = true;             // vector (MVT) or map tiles
  std::string prefix;             // ".../tiles" or ".../map/tiles", absolute
  std::string query;              // kept on every tile link ("?collections=a,b"), or empty
  std::string title;
  std::vector<core::Collection> layers;
};

nlohmann::json tilesets_json(const std::string& base, const TilesetTarget& target);
nlohmann::json tileset_json(const std::string& base, const TilesetTarget& target,
                            const amis::tiles::TileMatrixSet& set);

// The media types of map tiles, by `f` value: png, png8, jpeg, webp.
struct MapTileFormat {
  const char* f;
  const char* media_type;
};
const std::vector<MapTileFormat>& map_tile_formats();

}  // namespace amis::api::tiles
