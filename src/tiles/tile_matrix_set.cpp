#include "tiles/tile_matrix_set.hpp"

#include <cmath>

namespace amis::tiles {
namespace {

// Half the equator of the WGS 84 sphere used by EPSG:3857, in metres.
constexpr double kMercatorHalf = 20037508.3427892;
// OGC's standardized rendering pixel: 0.28 mm.
constexpr double kPixelMetres = 0.00028;
// Metres per degree on that sphere's equator, for scale denominators of CRS84.
constexpr double kMetresPerDegree = 2 * kMercatorHalf / 360.0;

std::vector<TileMatrixSet> make_sets() {
  TileMatrixSet web;
  web.id = "WebMercatorQuad";
  web.title = "Google Maps Compatible for the World";
  web.uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
  web.crs = core::Crs{3857};
  web.crs_uri = "http://www.opengis.net/def/crs/EPSG/0/3857";
  web.crs_urn = "urn:ogc:def:crs:EPSG::3857";
  web.well_known_scale_set = "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible";
  web.ordered_axes = {"X", "Y"};
  web.origin_x = -kMercatorHalf;
  web.origin_y = kMercatorHalf;
  web.max_level = 24;

  TileMatrixSet crs84;
  crs84.id = "WorldCRS84Quad";
  crs84.title = "CRS84 for the World";
  crs84.uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad";
  crs84.crs = core::Crs{0};
  crs84.crs_uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  crs84.crs_urn = "urn:ogc:def:crs:OGC:1.3:CRS84";
  crs84.ordered_axes = {"Lon", "Lat"};
  crs84.origin_x = -180;
  crs84.origin_y = 90;
  crs84.max_level = 23;
  return {web, crs84};
}

}  // namespace

TileMatrix TileMatrixSet::matrix(int level) const {
  TileMatrix m;
  m.level = level;
  const double tiles = std::ldexp(1.0, level);
  if (crs.is_crs84()) {
    m.cell_size = 180.0 / tile_size / tiles;
    m.scale_denominator = m.cell_size * kMetresPerDegree / kPixelMetres;
    m.matrix_width = static_cast<long long>(tiles) * 2;
  } else {
    m.cell_size = 2 * kMercatorHalf / tile_size / tiles;
    m.scale_denominator = m.cell_size / kPixelMetres;
    m.matrix_width = static_cast<long long>(tiles);
  }
  m.matrix_height = static_cast<long long>(tiles);
  return m;
}

core::Envelope TileMatrixSet::bounds() const {
  return {origin_x, -origin_y, -origin_x, origin_y};
}

const std::vector<TileMatrixSet>& tile_matrix_sets() {
  static const std::vector<TileMatrixSet> sets = make_sets();
  return sets;
}

const TileMatrixSet* find_tile_matrix_set(std::string_view id) {
  for (const auto& s : tile_matrix_sets())
    if (s.id == id) return &s;
  return nullptr;
}

bool contains(const TileMatrixSet& set, const TileAddress& tile) {
  if (tile.level < 0 || tile.level > set.max_level) return false;
  const auto m = set.matrix(tile.level);
  return tile.row >= 0 && tile.col >= 0 && tile.row < m.matrix_height && tile.col < m.matrix_width;
}

core::Envelope tile_bounds(const TileMatrixSet& set, const TileAddress& tile) {
  const auto m = set.matrix(tile.level);
  const double span = m.cell_size * set.tile_size;
  const double min_x = set.origin_x + static_cast<double>(tile.col) * span;
  const double max_y = set.origin_y - static_cast<double>(tile.row) * span;
  return {min_x, max_y - span, min_x + span, max_y};
}

}  // namespace amis::tiles
