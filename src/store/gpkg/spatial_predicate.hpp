#pragma once
// The relation of stored geometries to a filter's geometry literal, by GEOS.
//
// GEOS 3.11 prepares a geometry for intersects, contains, within and disjoint
// (indexed point location and segment search), but answers touches, crosses and
// overlaps with a full relate, which nodes the literal against itself again for
// every row: a 2,800-vertex star took 23 s over the demo's 3,122 coal mines (88 %
// in SimpleMCSweepLineIntersector::processOverlaps). Here those three are decided,
// whenever a cheap exact argument exists, from the prepared literal alone:
//   - no common point (prepared intersects): none of the three holds;
//   - the dimensions alone (overlaps needs equal dimensions; crosses never holds
//     between two areas or two point sets);
//   - a stored point set against an areal literal: where each point lies (interior,
//     boundary, exterior: indexed point-in-area) is the whole answer;
//   - a stored line or area with a vertex strictly inside the areal literal has
//     interior in common with it (no touch); with vertices strictly inside and
//     strictly outside, a line crosses it and an area (whose envelope does not hold
//     the literal's) overlaps it.
// Only what none of these settles goes to GEOS's relate; a line or point literal
// first clipped to a box around the stored geometry (what lies beyond cannot change
// how the two meet, only whether the literal reaches outside the stored geometry,
// which is added back), so that a small feature is related to the few vertices
// near it rather than to all of them.
#include <geos_c.h>

#include <optional>
#include <string_view>

namespace amis::store::gpkg {

enum class SpatialOp { Intersects, Equals, Disjoint, Touches, Within, Overlaps, Crosses, Contains };

// nullopt for a name that is none of the CQL2 predicates' ("intersects", ...).
std::optional<SpatialOp> parse_spatial_op(std::string_view name);

class PreparedLiteral {
 public:
  // Takes ownership of `literal`.
  explicit PreparedLiteral(GEOSGeometry* literal);
  ~PreparedLiteral();
  PreparedLiteral(const PreparedLiteral&) = delete;
  PreparedLiteral& operator=(const PreparedLiteral&) = delete;

  // `a OP literal`: true or false; nullopt when GEOS fails (an invalid geometry).
  std::optional<bool> test(SpatialOp op, const GEOSGeometry* a) const;

 private:
  std::optional<bool> by_relate(SpatialOp op, const GEOSGeometry* a) const;
  std::optional<bool> by_points(SpatialOp op, const GEOSGeometry* a) const;
  std::optional<bool> by_vertices(SpatialOp op, const GEOSGeometry* a, int a_dimension) const;
  std::optional<bool> by_clipped_relate(SpatialOp op, const GEOSGeometry* a, int a_dimension) const;

  GEOSGeometry* geometry_;
  const GEOSPreparedGeometry* prepared_;
  int dimension_;
  int vertices_;
  double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;  // the literal's envelope
};

}  // namespace amis::store::gpkg
