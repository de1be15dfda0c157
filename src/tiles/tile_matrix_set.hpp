#pragma once
// The two common tile matrix sets of OGC 17-083r4 (2D Tile Matrix Set):
// WebMercatorQuad (EPSG:3857, one tile at level 0) and WorldCRS84Quad (CRS84,
// two tiles at level 0). Tiles are addressed by level, row (from the top) and
// column (from the left), as in OGC API - Tiles and WMTS.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/crs.hpp"
#include "core/envelope.hpp"

namespace amis::tiles {

struct TileMatrix {
  int level = 0;
  double scale_denominator = 0;
  double cell_size = 0;  // CRS units per pixel
  long long matrix_width = 1;
  long long matrix_height = 1;
};

struct TileMatrixSet {
  std::string id;         // "WebMercatorQuad"
  std::string title;
  std::string uri;        // http://www.opengis.net/def/tilematrixset/OGC/1.0/...
  core::Crs crs;          // EPSG 3857, or CRS84
  std::string crs_uri;    // http://www.opengis.net/def/crs/...
  std::string crs_urn;    // urn:ogc:def:crs:... (WMTS)
  std::string well_known_scale_set;  // empty when there is none
  std::vector<std::string> ordered_axes;
  double origin_x = 0, origin_y = 0;  // top left corner, easting/longitude first
  int tile_size = 256;
  int max_level = 0;

  TileMatrix matrix(int level) const;
  // The bounds of the whole set, in its CRS.
  core::Envelope bounds() const;
};

struct TileAddress {
  int level = 0;
  long long row = 0;
  long long col = 0;
};

// The sets AMIS serves, in the order they are listed.
const std::vector<TileMatrixSet>& tile_matrix_sets();
const TileMatrixSet* find_tile_matrix_set(std::string_view id);

// True when the tile exists in the set.
bool contains(const TileMatrixSet& set, const TileAddress& tile);

// The tile's box in the set's CRS (easting/longitude first).
core::Envelope tile_bounds(const TileMatrixSet& set, const TileAddress& tile);

}  // namespace amis::tiles
