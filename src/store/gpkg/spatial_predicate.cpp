#include "store/gpkg/spatial_predicate.hpp"

#include <array>
#include <memory>

#include "core/geos_context.hpp"

namespace amis::store::gpkg {
namespace {

GEOSContextHandle_t geos() { return core::geos_context(); }

std::optional<bool> answer(char c) {
  if (c == 2) return std::nullopt;  // GEOS's exception value
  return c == 1;
}

struct GeometryDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos(), g); }
};
using Geometry = std::unique_ptr<GEOSGeometry, GeometryDeleter>;

bool is_point_set(const GEOSGeometry* a) {
  const int type = GEOSGeomTypeId_r(geos(), a);
  return type == GEOS_POINT || type == GEOS_MULTIPOINT;
}

}  // namespace

std::optional<SpatialOp> parse_spatial_op(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kNames = {"intersects", "equals", "disjoint", "touches",
                                                             "within", "overlaps", "crosses", "contains"};
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (name == kNames[i]) return static_cast<SpatialOp>(i);
  return std::nullopt;
}

PreparedLiteral::PreparedLiteral(GEOSGeometry* literal)
    : geometry_(literal), prepared_(GEOSPrepare_r(geos(), literal)), dimension_(GEOSGeom_getDimensions_r(geos(), literal)) {}

PreparedLiteral::~PreparedLiteral() {
  GEOSPreparedGeom_destroy_r(geos(), prepared_);
  GEOSGeom_destroy_r(geos(), geometry_);
}

std::optional<bool> PreparedLiteral::test(SpatialOp op, const GEOSGeometry* a) const {
  auto* h = geos();
  switch (op) {  // a OP p  ==  p CONVERSE(OP) a
    case SpatialOp::Intersects: return answer(GEOSPreparedIntersects_r(h, prepared_, a));
    case SpatialOp::Disjoint: return answer(GEOSPreparedDisjoint_r(h, prepared_, a));
    case SpatialOp::Within: return answer(GEOSPreparedContains_r(h, prepared_, a));
    case SpatialOp::Contains: return answer(GEOSPreparedWithin_r(h, prepared_, a));
    case SpatialOp::Equals: return answer(GEOSEquals_r(h, a, geometry_));  // compares envelopes first
    case SpatialOp::Touches:
    case SpatialOp::Overlaps:
    case SpatialOp::Crosses: break;
  }
  const int a_dimension = GEOSGeom_getDimensions_r(h, a);
  // What GEOS's IntersectionMatrix::isOverlaps / isCrosses answer from the dimensions alone.
  if (op == SpatialOp::Overlaps && a_dimension != dimension_) return false;
  if (op == SpatialOp::Crosses && a_dimension == dimension_ && a_dimension != 1) return false;
  const auto meets = answer(GEOSPreparedIntersects_r(h, prepared_, a));
  if (!meets) return std::nullopt;
  if (!*meets) return false;  // each of the three needs a common point
  if (dimension_ == 2) {
    if (is_point_set(a)) return by_points(op, a);
    if (auto known = by_vertices(op, a, a_dimension)) return known;
  }
  return by_relate(op, a);
}

std::optional<bool> PreparedLiteral::by_relate(SpatialOp op, const GEOSGeometry* a) const {
  auto* h = geos();
  switch (op) {
    case SpatialOp::Touches: return answer(GEOSPreparedTouches_r(h, prepared_, a));
    case SpatialOp::Overlaps: return answer(GEOSPreparedOverlaps_r(h, prepared_, a));
    case SpatialOp::Crosses: return answer(GEOSPreparedCrosses_r(h, prepared_, a));
    default: return std::nullopt;
  }
}

// `a` a point or points, the literal an area: each point is in its interior
// (contains properly), on its boundary (intersects, not properly) or outside.
std::optional<bool> PreparedLiteral::by_points(SpatialOp op, const GEOSGeometry* a) const {
  auto* h = geos();
  bool interior = false, boundary = false, exterior = false;
  const int n = GEOSGetNumGeometries_r(h, a);
  for (int i = 0; i < n; ++i) {
    const GEOSGeometry* point = GEOSGetGeometryN_r(h, a, i);
    if (GEOSisEmpty_r(h, point) == 1) continue;
    const auto inside = answer(GEOSPreparedContainsProperly_r(h, prepared_, point));
    if (!inside) return std::nullopt;
    if (*inside) {
      interior = true;
      continue;
    }
    const auto meets = answer(GEOSPreparedIntersects_r(h, prepared_, point));
    if (!meets) return std::nullopt;
    (*meets ? boundary : exterior) = true;
  }
  switch (op) {
    case SpatialOp::Touches: return boundary && !interior;  // F*******: no interior point in common
    case SpatialOp::Crosses: return interior && exterior;   // T*T****** for points against an area
    default: return false;                                  // overlaps: different dimensions
  }
}

// `a` a line or an area (or a collection), the literal an area: its vertices
// strictly inside and strictly outside the literal prove some of the answers.
std::optional<bool> PreparedLiteral::by_vertices(SpatialOp op, const GEOSGeometry* a, int a_dimension) const {
  auto* h = geos();
  // GEOS 3.11's relate does not take collections: leave them to it, to fail alike.
  const int type = GEOSGeomTypeId_r(h, a);
  if (type == GEOS_GEOMETRYCOLLECTION) return std::nullopt;
  const Geometry vertices(GEOSGeom_extractUniquePoints_r(h, a));
  if (!vertices) return std::nullopt;
  bool inside = false, outside = false;
  const int n = GEOSGetNumGeometries_r(h, vertices.get());
  for (int i = 0; i < n && !(inside && outside); ++i) {
    const GEOSGeometry* v = GEOSGetGeometryN_r(h, vertices.get(), i);
    if (!inside && GEOSPreparedContainsProperly_r(h, prepared_, v) == 1) inside = true;
    else if (!outside && GEOSPreparedIntersects_r(h, prepared_, v) == 0) outside = true;
  }
  switch (op) {
    // A vertex strictly inside: points of a's interior next to it are inside too.
    case SpatialOp::Touches:
      if (inside) return false;
      break;
    case SpatialOp::Crosses:  // a line leaving the area's interior for its exterior
      if (a_dimension == 1 && inside && outside) return true;
      break;
    case SpatialOp::Overlaps: {  // areas: interiors meet, and neither holds the other
      if (a_dimension != 2 || !inside || !outside) break;
      double ax0, ay0, ax1, ay1, px0, py0, px1, py1;
      if (!GEOSGeom_getXMin_r(h, a, &ax0) || !GEOSGeom_getYMin_r(h, a, &ay0) || !GEOSGeom_getXMax_r(h, a, &ax1) ||
          !GEOSGeom_getYMax_r(h, a, &ay1) || !GEOSGeom_getXMin_r(h, geometry_, &px0) ||
          !GEOSGeom_getYMin_r(h, geometry_, &py0) || !GEOSGeom_getXMax_r(h, geometry_, &px1) ||
          !GEOSGeom_getYMax_r(h, geometry_, &py1))
        break;
      const bool literal_may_fit = ax0 <= px0 && ay0 <= py0 && px1 <= ax1 && py1 <= ay1;
      if (!literal_may_fit) return true;
      break;
    }
    default: break;
  }
  return std::nullopt;
}

}  // namespace amis::store::gpkg
