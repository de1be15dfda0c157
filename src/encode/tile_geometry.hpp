#pragma once
// Geometry in the integer grid of one vector tile (Mapbox Vector Tile 2.1, §4.3):
// CRS84 WKB reprojected to the tile matrix set's CRS, scaled to the tile's
// extent with y growing downwards, clipped to the tile plus a buffer, snapped to
// integers, and with rings oriented as MVT wants (exterior rings positive area
// by the surveyor's formula, holes negative).
#include <cstdint>
#include <span>
#include <vector>

#include "core/envelope.hpp"
#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"

namespace amis::encode {

struct TilePoint {
  std::int32_t x = 0;
  std::int32_t y = 0;
  bool operator==(const TilePoint&) const = default;
};

enum class TileGeometryType { Point = 1, LineString = 2, Polygon = 3 };

struct TileGeometry {
  TileGeometryType type = TileGeometryType::Point;
  // Points: one part holding every point. Lines: one part per line. Polygons:
  // each exterior ring followed by its holes; rings are not closed (no repeated
  // first point), as MVT's ClosePath closes them.
  std::vector<std::vector<TilePoint>> parts;
};

struct TileFrame {
  core::Envelope bounds;  // the tile in the tile matrix set's CRS
  int extent = 4096;
  int buffer = 64;        // in tile units, kept around the tile for symbols and seams
  bool mercator = false;  // latitudes beyond ±85.06° are clamped before projecting
  // Polygons lose the vertices within this distance (tile units) of the line
  // through their kept neighbours, keeping their topology (GEOS's
  // TopologyPreservingSimplifier: no ring crosses itself or another). A 4096 grid
  // shown at 512 pixels has 8 units to a pixel. 0 keeps every vertex.
  double simplify = 0;
};

class TileGeometryBuilder {
 public:
  // `to_tile_crs`: CRS84 to the set's CRS, east/north; nullptr when that is CRS84.
  TileGeometryBuilder(const TileFrame& frame, const CoordinateTransform* to_tile_crs)
      : frame_(frame), transform_(to_tile_crs) {}

  // Fills `out` with what is left of the geometry inside the buffered tile;
  // false when nothing is (or the WKB cannot be read). In a collection of mixed
  // types, the type of the first member that is kept wins.
  bool build(std::span<const std::uint8_t> wkb, TileGeometry& out);

 private:
  void geometry(core::WkbReader& reader, TileGeometry& out, int depth);
  void read_positions(core::WkbReader& reader, std::uint32_t n, int dimensions);
  void add_points(TileGeometry& out);
  void add_line(TileGeometry& out);
  bool add_ring(TileGeometry& out, bool exterior);
  void add_snapped_part(TileGeometry& out, const double* xy, std::size_t n, std::size_t min_points);

  TileFrame frame_;
  const CoordinateTransform* transform_;
  std::vector<double> xy_;          // the positions just read, in tile units
  std::vector<double> clipped_;     // scratch for clipping
  std::vector<TilePoint> snapped_;  // scratch for snapping
};

}  // namespace amis::encode
