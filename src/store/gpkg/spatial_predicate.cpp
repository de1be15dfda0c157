#include "store/gpkg/spatial_predicate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>

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

// A line or point literal with more vertices than this is clipped to each stored
// geometry's surroundings before the relate (a small one costs less than the clip).
constexpr int kClipFrom = 64;

bool is_point_set(const GEOSGeometry* a) {
  const int type = GEOSGeomTypeId_r(geos(), a);
  return type == GEOS_POINT || type == GEOS_MULTIPOINT;
}

}  // namespace

std::optional<SpatialOp> parse_spatial_op(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "intersects", "equals", "disjoint", "touches", "within", "overlaps", "crosses", "contains"};
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (name == kNames[i]) return static_cast<SpatialOp>(i);
  return std::nullopt;
}

PreparedLiteral::PreparedLiteral(GEOSGeometry* literal)
    : geometry_(literal),
      prepared_(GEOSPrepare_r(geos(), literal)),
      dimension_(GEOSGeom_getDimensions_r(geos(), literal)),
      vertices_(GEOSGetNumCoordinates_r(geos(), literal)) {
  if (GEOSisEmpty_r(geos(), literal) != 1) {
    GEOSGeom_getXMin_r(geos(), literal, &min_x_);
    GEOSGeom_getYMin_r(geos(), literal, &min_y_);
    GEOSGeom_getXMax_r(geos(), literal, &max_x_);
    GEOSGeom_getYMax_r(geos(), literal, &max_y_);
  }
}

PreparedLiteral::~PreparedLiteral() {
  GEOSPreparedGeom_destroy_r(geos(), prepared_);
  GEOSGeom_destroy_r(geos(), geometry_);
}

std::optional<bool> PreparedLiteral::test(SpatialOp op, const GEOSGeometry* a) const {
  auto* h = geos();
  switch (op) {  // a OP p  ==  p CONVERSE(OP) a
    case SpatialOp::Intersects:
      return answer(GEOSPreparedIntersects_r(h, prepared_, a));
    case SpatialOp::Disjoint:
      return answer(GEOSPreparedDisjoint_r(h, prepared_, a));
    case SpatialOp::Within:
      return answer(GEOSPreparedContains_r(h, prepared_, a));
    case SpatialOp::Contains:
      return answer(GEOSPreparedWithin_r(h, prepared_, a));
    case SpatialOp::Equals:
      return answer(GEOSEquals_r(h, a, geometry_));  // compares envelopes first
    case SpatialOp::Touches:
    case SpatialOp::Overlaps:
    case SpatialOp::Crosses:
      break;
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
  } else if (vertices_ > kClipFrom) {
    if (auto known = by_clipped_relate(op, a, a_dimension)) return known;
  }
  return by_relate(op, a);
}

namespace {

// `a` an area, `part` the literal's part around it: a vertex of the (line or point)
// literal strictly inside `a` puts interior in common (no touch); with a vertex
// strictly outside too, or the literal reaching beyond the box, it crosses.
std::optional<bool> area_vertices(SpatialOp op, const GEOSGeometry* a, const GEOSGeometry* part,
                                  bool beyond) {
  auto* h = geos();
  const GEOSPreparedGeometry* area = GEOSPrepare_r(h, a);
  if (!area) return std::nullopt;
  const Geometry vertices(GEOSGeom_extractUniquePoints_r(h, part));
  bool inside = false, outside = beyond;
  const int n = vertices ? GEOSGetNumGeometries_r(h, vertices.get()) : 0;
  for (int i = 0; i < n && !(inside && outside); ++i) {
    const GEOSGeometry* v = GEOSGetGeometryN_r(h, vertices.get(), i);
    if (!inside && GEOSPreparedContainsProperly_r(h, area, v) == 1)
      inside = true;
    else if (!outside && GEOSPreparedIntersects_r(h, area, v) == 0)
      outside = true;
  }
  GEOSPreparedGeom_destroy_r(h, area);
  if (op == SpatialOp::Touches && inside) return false;
  if (op == SpatialOp::Crosses && inside && outside) return true;
  return std::nullopt;
}

}  // namespace

// `a` against the line or point literal clipped to a box 1 % wider than a's
// envelope. Inside that box the clipped literal and the literal are the same set,
// with the same interior and boundary there (clipping adds ends only on the box,
// away from a), so every entry of the DE-9IM matrix in a's interior and boundary
// rows is unchanged; of the exterior row, touches, crosses and overlaps read only
// E(a)∩I(literal), which the part of the literal beyond the box (of the literal's
// dimension) fills when there is one. nullopt: left to the plain relate.
std::optional<bool> PreparedLiteral::by_clipped_relate(SpatialOp op, const GEOSGeometry* a,
                                                       int a_dimension) const {
  auto* h = geos();
  if (GEOSGeomTypeId_r(h, a) == GEOS_GEOMETRYCOLLECTION) return std::nullopt;
  double x0, y0, x1, y1;
  if (!GEOSGeom_getXMin_r(h, a, &x0) || !GEOSGeom_getYMin_r(h, a, &y0) ||
      !GEOSGeom_getXMax_r(h, a, &x1) || !GEOSGeom_getYMax_r(h, a, &y1))
    return std::nullopt;
  const double margin =
      std::max({x1 - x0, y1 - y0, std::abs(x0), std::abs(y0), std::abs(x1), std::abs(y1), 1.0}) *
      0.01;
  x0 -= margin, y0 -= margin, x1 += margin, y1 += margin;
  const Geometry clipped(GEOSClipByRect_r(h, geometry_, x0, y0, x1, y1));
  if (!clipped) return std::nullopt;
  const bool beyond = min_x_ < x0 || min_y_ < y0 || max_x_ > x1 || max_y_ > y1;
  if (a_dimension == 2 &&
      op != SpatialOp::Overlaps) {  // a an area: where the literal's vertices lie in it
    if (auto known = area_vertices(op, a, clipped.get(), beyond)) return known;
  }
  std::unique_ptr<char, void (*)(char*)> matrix(GEOSRelate_r(h, a, clipped.get()),
                                                [](char* m) { GEOSFree_r(geos(), m); });
  if (!matrix || std::strlen(matrix.get()) != 9) return std::nullopt;
  std::string im(matrix.get());
  if (beyond) im[6] = static_cast<char>('0' + dimension_);
  auto matches = [&](const char* pattern) {
    return GEOSRelatePatternMatch_r(h, im.c_str(), pattern) == 1;
  };
  const int da = a_dimension, dp = dimension_;
  switch (op) {  // GEOS's IntersectionMatrix::isTouches / isCrosses / isOverlaps
    case SpatialOp::Touches:
      if (da == 0 && dp == 0) return false;
      return matches("FT*******") || matches("F**T*****") || matches("F***T****");
    case SpatialOp::Crosses:
      if (da < dp) return matches("T*T******");
      if (da > dp) return matches("T*****T**");
      if (da == 1) return matches("0********");
      return false;
    case SpatialOp::Overlaps:
      if (da != dp) return false;
      if (da == 1) return matches("1*T***T**");
      return matches("T*T***T**");
    default:
      return std::nullopt;
  }
}

std::optional<bool> PreparedLiteral::by_relate(SpatialOp op, const GEOSGeometry* a) const {
  auto* h = geos();
  switch (op) {
    case SpatialOp::Touches:
      return answer(GEOSPreparedTouches_r(h, prepared_, a));
    case SpatialOp::Overlaps:
      return answer(GEOSPreparedOverlaps_r(h, prepared_, a));
    case SpatialOp::Crosses:
      return answer(GEOSPreparedCrosses_r(h, prepared_, a));
    default:
      return std::nullopt;
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
    case SpatialOp::Touches:
      return boundary && !interior;  // F*******: no interior point in common
    case SpatialOp::Crosses:
      return interior && exterior;  // T*T****** for points against an area
    default:
      return false;  // overlaps: different dimensions
  }
}

// `a` a line or an area (or a collection), the literal an area: its vertices
// strictly inside and strictly outside the literal prove some of the answers.
std::optional<bool> PreparedLiteral::by_vertices(SpatialOp op, const GEOSGeometry* a,
                                                 int a_dimension) const {
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
    if (!inside && GEOSPreparedContainsProperly_r(h, prepared_, v) == 1)
      inside = true;
    else if (!outside && GEOSPreparedIntersects_r(h, prepared_, v) == 0)
      outside = true;
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
      if (!GEOSGeom_getXMin_r(h, a, &ax0) || !GEOSGeom_getYMin_r(h, a, &ay0) ||
          !GEOSGeom_getXMax_r(h, a, &ax1) || !GEOSGeom_getYMax_r(h, a, &ay1) ||
          !GEOSGeom_getXMin_r(h, geometry_, &px0) || !GEOSGeom_getYMin_r(h, geometry_, &py0) ||
          !GEOSGeom_getXMax_r(h, geometry_, &px1) || !GEOSGeom_getYMax_r(h, geometry_, &py1))
        break;
      const bool literal_may_fit = ax0 <= px0 && ay0 <= py0 && px1 <= ax1 && py1 <= ay1;
      if (!literal_may_fit) return true;
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace amis::store::gpkg
