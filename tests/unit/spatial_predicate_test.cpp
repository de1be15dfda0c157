// PreparedLiteral's answers must be GEOS's own (unprepared relate) for every predicate:
// literals of each dimension against stored points, point sets, lines and polygons
// placed inside, outside, across and on the literal's boundary and vertices.
#include "store/gpkg/spatial_predicate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/geos_context.hpp"

namespace amis::store::gpkg {
namespace {

GEOSContextHandle_t h() { return core::geos_context(); }

GEOSGeometry* wkt(const std::string& text) {
  GEOSWKTReader* reader = GEOSWKTReader_create_r(h());
  GEOSGeometry* g = GEOSWKTReader_read_r(h(), reader, text.c_str());
  GEOSWKTReader_destroy_r(h(), reader);
  return g;
}

// A star of n points (alternating radii 10 and 3) around (0, 0).
std::vector<std::pair<double, double>> star(int n) {
  std::vector<std::pair<double, double>> out;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * M_PI * i / n, r = i % 2 == 0 ? 10 : 3;
    out.emplace_back(r * std::cos(a), r * std::sin(a));
  }
  out.push_back(out.front());
  return out;
}

std::string coords(const std::vector<std::pair<double, double>>& pts) {
  std::string s;
  for (const auto& [x, y] : pts)
    s += (s.empty() ? "" : ",") + std::to_string(x) + " " + std::to_string(y);
  return s;
}

std::vector<std::string> literals() {
  const auto s = star(200);   // more than kClipFrom vertices: line and points are clipped
  const auto few = star(40);  // fewer than kClipFrom: related whole
  return {"POLYGON((" + coords(s) + "))",
          "LINESTRING(" + coords(s) + ")",
          "MULTIPOINT(" + coords(s) + ")",
          "LINESTRING(" + coords(few) + ")",
          "MULTIPOINT(" + coords(few) + ")",
          "POLYGON((-2 -2,2 -2,2 2,-2 2,-2 -2))",
          "MULTIPOLYGON(((0 0,4 0,4 4,0 4,0 0)),((5 5,6 5,6 6,5 6,5 5)))"};
}

// Stored geometries: points at, near and away from the literals' vertices and edges;
// point sets mixing them; lines and polygons inside, outside, across and on edges.
std::vector<std::string> stored() {
  const auto s = star(200);  // more than kClipFrom vertices: line and points are clipped
  std::vector<std::string> out;
  for (int i = 0; i < 6; ++i) {
    const auto& [x, y] = s[static_cast<std::size_t>(i)];
    out.push_back("POINT(" + std::to_string(x) + " " + std::to_string(y) + ")");  // a star vertex
  }
  for (const char* g :
       {"POINT(0 0)",
        "POINT(20 20)",
        "POINT(2 0)",
        "POINT(2 1)",
        "POINT(-2 0)",
        "POINT(0 4)",
        "MULTIPOINT(0 0,20 20)",
        "MULTIPOINT(2 2,0 0)",
        "MULTIPOINT(2 2,20 20)",
        "MULTIPOINT(0 0,1 1)",
        "LINESTRING(0 0,1 1)",
        "LINESTRING(0 0,20 20)",
        "LINESTRING(20 20,30 30)",
        "LINESTRING(-2 -2,2 -2)",
        "LINESTRING(-3 -2,3 -2)",
        "LINESTRING(-5 0,5 0)",
        "LINESTRING(2 2,20 2)",
        "MULTILINESTRING((0 0,1 1),(20 20,21 21))",
        "POLYGON((-1 -1,1 -1,1 1,-1 1,-1 -1))",
        "POLYGON((-3 -3,3 -3,3 3,-3 3,-3 -3))",
        "POLYGON((2 -2,6 -2,6 2,2 2,2 -2))",
        "POLYGON((20 20,21 20,21 21,20 21,20 20))",
        "POLYGON((-20 -20,20 -20,20 20,-20 20,-20 -20))",
        "POLYGON((-2 -2,2 -2,2 2,-2 2,-2 -2))",
        "POLYGON((1 1,3 1,3 3,1 3,1 1))",
        "POLYGON((4 0,5 0,5 1,4 1,4 0))",
        "MULTIPOLYGON(((-1 -1,1 -1,1 1,-1 1,-1 -1)),((20 20,21 20,21 21,20 21,20 20)))",
        "POINT EMPTY",
        "POLYGON EMPTY"})
    out.emplace_back(g);
  return out;
}

char geos_answer(SpatialOp op, const GEOSGeometry* a, const GEOSGeometry* b) {
  switch (op) {
    case SpatialOp::Intersects:
      return GEOSIntersects_r(h(), a, b);
    case SpatialOp::Equals:
      return GEOSEquals_r(h(), a, b);
    case SpatialOp::Disjoint:
      return GEOSDisjoint_r(h(), a, b);
    case SpatialOp::Touches:
      return GEOSTouches_r(h(), a, b);
    case SpatialOp::Within:
      return GEOSWithin_r(h(), a, b);
    case SpatialOp::Overlaps:
      return GEOSOverlaps_r(h(), a, b);
    case SpatialOp::Crosses:
      return GEOSCrosses_r(h(), a, b);
    case SpatialOp::Contains:
      return GEOSContains_r(h(), a, b);
  }
  return 2;
}

TEST(SpatialPredicate, EveryAnswerIsGeosRelates) {
  const char* names[] = {"intersects", "equals",   "disjoint", "touches",
                         "within",     "overlaps", "crosses",  "contains"};
  int compared = 0, true_answers = 0;
  for (const auto& literal_text : literals()) {
    GEOSGeometry* literal = wkt(literal_text);
    ASSERT_NE(literal, nullptr) << literal_text;
    const PreparedLiteral prepared(GEOSGeom_clone_r(h(), literal));
    for (const auto& row_text : stored()) {
      GEOSGeometry* row = wkt(row_text);
      ASSERT_NE(row, nullptr) << row_text;
      for (const char* name : names) {
        const auto op = parse_spatial_op(name);
        ASSERT_TRUE(op);
        const char want = geos_answer(*op, row, literal);
        const auto got = prepared.test(*op, row);
        ASSERT_NE(want, 2) << name << " " << row_text;
        ASSERT_TRUE(got.has_value())
            << name << " " << row_text << " / " << literal_text.substr(0, 40);
        EXPECT_EQ(*got, want == 1) << row_text << " " << name << " " << literal_text.substr(0, 60);
        ++compared;
        true_answers += want == 1;
      }
      GEOSGeom_destroy_r(h(), row);
    }
    GEOSGeom_destroy_r(h(), literal);
  }
  EXPECT_GT(true_answers, compared / 10);  // the cases decide something
}

TEST(SpatialPredicate, UnknownNamesAreRefused) {
  EXPECT_FALSE(parse_spatial_op("touch"));
  EXPECT_EQ(parse_spatial_op("crosses"), SpatialOp::Crosses);
}

}  // namespace
}  // namespace amis::store::gpkg
