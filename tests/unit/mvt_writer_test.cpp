// Vector tiles against two independent references: the worked examples of the
// Mapbox Vector Tile 2.1 specification for the geometry commands, and GDAL's
// MVT driver reading the tiles back (positions, clipping and attributes
// compared with OGR's own reprojection and intersection of the sources).
#include "encode/mvt_writer.hpp"

#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/crs.hpp"
#include "test_support.hpp"
#include "tiles/tile_matrix_set.hpp"

using amis::core::FeatureView;
using amis::core::Value;
using amis::encode::TileGeometry;
using amis::encode::TileGeometryType;
using amis::encode::TilePoint;

namespace {

std::vector<std::uint32_t> commands(const TileGeometry& g) {
  std::vector<std::uint32_t> out;
  amis::encode::encode_geometry_commands(g, out);
  return out;
}

TEST(MvtGeometryCommands, MatchTheSpecificationExamples) {
  // MVT 2.1, §4.3.5.1 to §4.3.5.7.
  EXPECT_EQ(commands({TileGeometryType::Point, {{{25, 17}}}}), (std::vector<std::uint32_t>{9, 50, 34}));
  EXPECT_EQ(commands({TileGeometryType::Point, {{{5, 7}, {3, 2}}}}),
            (std::vector<std::uint32_t>{17, 10, 14, 3, 9}));
  EXPECT_EQ(commands({TileGeometryType::LineString, {{{2, 2}, {2, 10}, {10, 10}}}}),
            (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0}));
  EXPECT_EQ(commands({TileGeometryType::LineString, {{{2, 2}, {2, 10}, {10, 10}}, {{1, 1}, {3, 5}}}}),
            (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8}));
  EXPECT_EQ(commands({TileGeometryType::Polygon, {{{3, 6}, {8, 12}, {20, 34}}}}),
            (std::vector<std::uint32_t>{9, 6, 12, 18, 10, 12, 24, 44, 15}));
}

// One WebMercatorQuad tile, encoded and decoded by GDAL.
class TileRoundTrip : public ::testing::Test {
 protected:
  void encode(int z, int row, int col, const std::vector<std::pair<const char*, std::vector<Value>>>& features) {
    z_ = z, row_ = row, col_ = col;
    const auto& set = *amis::tiles::find_tile_matrix_set("WebMercatorQuad");
    amis::encode::TileFrame frame;
    frame.bounds = amis::tiles::tile_bounds(set, {z, row, col});
    frame.mercator = true;
    const amis::encode::CoordinateTransform to_mercator(amis::core::Crs{3857}, "test", false, true);
    amis::encode::TileGeometryBuilder builder(frame, &to_mercator);
    amis::encode::MvtLayer layer("mines", builder);
    amis::core::Collection c;
    c.id = "mines";
    c.properties = {{"name", amis::core::PropertyType::Text},
                    {"capacity", amis::core::PropertyType::Real},
                    {"depth", amis::core::PropertyType::Integer},
                    {"open", amis::core::PropertyType::Boolean}};
    layer.begin(c);
    std::int64_t id = 1;
    for (const auto& [wkt, values] : features) {
      const auto wkb = amis::testing::wkb_from_wkt(wkt);
      layer.feature(FeatureView{id++, wkb, values});
    }
    tile_.clear();
    layer.append_to(tile_);
    kept_ = layer.size();
  }

  // The decoded features by id, as OGR geometries in EPSG:3857 with their fields.
  struct Decoded {
    OGRGeometryH geometry;
    std::map<std::string, std::string> fields;
  };
  std::map<std::int64_t, Decoded> decode() {
    GDALAllRegister();
    VSIFCloseL(VSIFileFromMemBuffer("/vsimem/amis-test.mvt", reinterpret_cast<GByte*>(tile_.data()),
                                    static_cast<vsi_l_offset>(tile_.size()), FALSE));
    const std::string x = "X=" + std::to_string(col_), y = "Y=" + std::to_string(row_), zz = "Z=" + std::to_string(z_);
    const char* options[] = {x.c_str(), y.c_str(), zz.c_str(), "CLIP=NO", nullptr};
    const char* drivers[] = {"MVT", nullptr};
    ds_ = GDALOpenEx("/vsimem/amis-test.mvt", GDAL_OF_VECTOR, drivers, options, nullptr);
    std::map<std::int64_t, Decoded> out;
    if (!ds_) return out;
    OGRLayerH layer = GDALDatasetGetLayerByName(ds_, "mines");
    if (!layer) return out;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != nullptr) {
      Decoded d{OGR_G_Clone(OGR_F_GetGeometryRef(f)), {}};
      for (int i = 0; i < OGR_F_GetFieldCount(f); ++i)
        if (OGR_F_IsFieldSetAndNotNull(f, i))
          d.fields[OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, i))] = OGR_F_GetFieldAsString(f, i);
      out[OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "mvt_id"))] = d;
      OGR_F_Destroy(f);
    }
    return out;
  }

  void TearDown() override {
    for (auto g : owned_) OGR_G_DestroyGeometry(g);
    if (ds_) GDALClose(ds_);
    VSIUnlink("/vsimem/amis-test.mvt");
  }

  // The source geometry in EPSG:3857 by OGR/PROJ, independently of AMIS.
  OGRGeometryH mercator(const char* wkt) {
    OGRGeometryH g = nullptr;
    char* text = const_cast<char*>(wkt);
    OGR_G_CreateFromWkt(&text, nullptr, &g);
    OGRSpatialReferenceH from = OSRNewSpatialReference(nullptr), to = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(from, 4326);
    OSRImportFromEPSG(to, 3857);
    OSRSetAxisMappingStrategy(from, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(to, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH t = OCTNewCoordinateTransformation(from, to);
    OGR_G_Transform(g, t);
    OCTDestroyCoordinateTransformation(t);
    OSRDestroySpatialReference(from);
    OSRDestroySpatialReference(to);
    owned_.push_back(g);
    return g;
  }

  // The tile with its 64-unit buffer, in EPSG:3857.
  OGRGeometryH buffered_tile() {
    const auto& set = *amis::tiles::find_tile_matrix_set("WebMercatorQuad");
    auto b = amis::tiles::tile_bounds(set, {z_, row_, col_});
    const double m = (b.max_x - b.min_x) * 64 / 4096;
    const std::string wkt = "POLYGON((" + std::to_string(b.min_x - m) + " " + std::to_string(b.min_y - m) + "," +
                            std::to_string(b.max_x + m) + " " + std::to_string(b.min_y - m) + "," +
                            std::to_string(b.max_x + m) + " " + std::to_string(b.max_y + m) + "," +
                            std::to_string(b.min_x - m) + " " + std::to_string(b.max_y + m) + "," +
                            std::to_string(b.min_x - m) + " " + std::to_string(b.min_y - m) + "))";
    OGRGeometryH g = nullptr;
    char* text = const_cast<char*>(wkt.c_str());
    OGR_G_CreateFromWkt(&text, nullptr, &g);
    owned_.push_back(g);
    return g;
  }

  double unit() const { return 2 * 20037508.3427892 / std::ldexp(1.0, z_) / 4096; }

  std::string tile_;
  std::size_t kept_ = 0;
  int z_ = 0, row_ = 0, col_ = 0;
  GDALDatasetH ds_ = nullptr;
  std::vector<OGRGeometryH> owned_;
};

Value text(const char* s) { return Value{Value::Kind::Text, 0, 0, s}; }
Value real(double v) { return Value{Value::Kind::Real, 0, v, {}}; }
Value integer(std::int64_t v) { return Value{Value::Kind::Integer, v, 0, {}}; }
const Value null{};

TEST_F(TileRoundTrip, PointsKeepTheirPositionIdsAndAttributes) {
  encode(0, 0, 0, {{"POINT (106.8 -6.2)", {text("Ombilin"), real(2.5), integer(-120), integer(1)}},
                   {"POINT (139.7 35.7)", {text("Ikeshima"), null, integer(300), integer(0)}}});
  const auto decoded = decode();
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_LT(OGR_G_Distance(decoded.at(1).geometry, mercator("POINT (106.8 -6.2)")), unit());
  EXPECT_LT(OGR_G_Distance(decoded.at(2).geometry, mercator("POINT (139.7 35.7)")), unit());
  EXPECT_EQ(decoded.at(1).fields.at("name"), "Ombilin");
  EXPECT_EQ(std::stod(decoded.at(1).fields.at("capacity")), 2.5);
  EXPECT_EQ(decoded.at(1).fields.at("depth"), "-120");
  EXPECT_EQ(decoded.at(2).fields.at("depth"), "300");
  EXPECT_EQ(decoded.at(2).fields.count("capacity"), 0u);  // null: no tag
  EXPECT_EQ(decoded.at(1).fields.at("open"), "1");
  EXPECT_EQ(decoded.at(2).fields.at("open"), "0");
  for (auto& [id, d] : decoded) OGR_G_DestroyGeometry(d.geometry);
}

TEST_F(TileRoundTrip, PolygonsKeepTheirHolesAndArea) {
  const char* wkt = "POLYGON ((100 0, 110 0, 110 10, 100 10, 100 0), (102 2, 102 4, 104 4, 104 2, 102 2))";
  encode(3, 3, 6, {{wkt, {text("block"), null, null, null}}});
  const auto decoded = decode();
  ASSERT_EQ(decoded.size(), 1u);
  OGRGeometryH g = decoded.at(1).geometry;
  // GDAL reads polygons as multipolygons: one polygon with its hole. A hole
  // written with the wrong winding would come back as a second polygon.
  ASSERT_EQ(wkbFlatten(OGR_G_GetGeometryType(g)), wkbMultiPolygon);
  ASSERT_EQ(OGR_G_GetGeometryCount(g), 1);
  EXPECT_EQ(OGR_G_GetGeometryCount(OGR_G_GetGeometryRef(g, 0)), 2);
  const double expected = OGR_G_Area(mercator(wkt));
  EXPECT_NEAR(OGR_G_Area(g), expected, expected * 0.002);
  OGR_G_DestroyGeometry(g);
}

TEST_F(TileRoundTrip, PolygonsAndLinesAreClippedToTheBufferedTile) {
  // A country-sized polygon and a line crossing the tile z4 (row 7, col 12).
  const char* polygon = "POLYGON ((90 -5, 130 -5, 130 30, 90 30, 90 -5))";
  const char* line = "LINESTRING (95 10, 125 12, 126 40)";
  encode(4, 7, 12, {{polygon, {text("big"), null, null, null}}, {line, {text("road"), null, null, null}}});
  const auto decoded = decode();
  ASSERT_EQ(decoded.size(), 2u);
  OGRGeometryH tile = buffered_tile();
  OGRGeometryH area = OGR_G_Intersection(mercator(polygon), tile);
  OGRGeometryH length = OGR_G_Intersection(mercator(line), tile);
  EXPECT_NEAR(OGR_G_Area(decoded.at(1).geometry), OGR_G_Area(area), OGR_G_Area(area) * 0.002);
  EXPECT_NEAR(OGR_G_Length(decoded.at(2).geometry), OGR_G_Length(length), 2 * unit());
  OGREnvelope inside;
  OGR_G_GetEnvelope(decoded.at(1).geometry, &inside);
  OGREnvelope limit;
  OGR_G_GetEnvelope(tile, &limit);
  EXPECT_GE(inside.MinX, limit.MinX - unit());
  EXPECT_LE(inside.MaxY, limit.MaxY + unit());
  OGR_G_DestroyGeometry(area);
  OGR_G_DestroyGeometry(length);
  for (auto& [id, d] : decoded) OGR_G_DestroyGeometry(d.geometry);
}

TEST_F(TileRoundTrip, FeaturesOutsideTheTileAreLeftOut) {
  encode(4, 7, 12, {{"POINT (-70 40)", {text("far"), null, null, null}},
                    {"LINESTRING (-70 40, -60 41)", {text("far"), null, null, null}},
                    {"POLYGON ((0 0, 1 0, 1 1, 0 0))", {text("far"), null, null, null}}});
  EXPECT_EQ(kept_, 0u);
  EXPECT_TRUE(tile_.empty());
}

TEST(TileGeometry, TinyRingsCollapseAndAreDropped) {
  amis::encode::TileFrame frame;
  frame.bounds = {0, 0, 4096, 4096};  // one unit per CRS84 degree... of a made-up frame
  amis::encode::TileGeometryBuilder builder(frame, nullptr);
  TileGeometry g;
  const auto wkb = amis::testing::wkb_from_wkt("POLYGON ((10 10, 10.2 10, 10.2 10.2, 10 10))");
  EXPECT_FALSE(builder.build(wkb, g));
  const auto bad = std::vector<std::uint8_t>{1, 3, 0, 0, 0, 9, 0};
  EXPECT_FALSE(builder.build(bad, g));
}

// A square shell (100..900) whose sides wobble by 3 units either side every 4
// units, with an outward bump 6 units deep on its southern side and a hole inside
// that bump, 1 unit from the bump's edge. Simplified at 6 units, the wobble and the
// bump are within tolerance: plain Douglas-Peucker straightens the side and cuts
// the hole off (GEOS then drops it); a topology-preserving simplifier keeps the
// bump around the hole. At 10 units GEOS 3.11's topology-preserving simplifier
// itself straightens the side past the hole (no crossing, the hole wholly outside):
// the polygon must then stay as it was. The coordinates are whole tile units (the
// frame maps 1 unit to 1 unit), so snapping changes nothing and the simplifier is
// what is tested.
constexpr int kBumpFrom = 380, kBumpTo = 460;
const char* const kHoleInBump = "(400 95, 440 95, 440 98, 400 98, 400 95)";

std::string wobbly_square_with_a_bump_wkt() {
  std::string ring;
  auto add = [&ring](int x, int y) { ring += std::to_string(x) + " " + std::to_string(y) + ", "; };
  for (int side = 0; side < 4; ++side)
    for (int i = 0; i < 200; ++i) {
      const int t = 100 + i * 4, wobble = (i % 2 ? 3 : -3);
      if (side == 0) {
        if (t > kBumpFrom && t < kBumpTo) continue;
        add(t, 100 + wobble);
        if (t == kBumpFrom) add(kBumpFrom, 94), add(kBumpTo, 94);
      }
      if (side == 1) add(900 + wobble, t);
      if (side == 2) add(900 - (t - 100), 900 + wobble);
      if (side == 3) add(100 + wobble, 900 - (t - 100));
    }
  ring += "100 97";  // the first position again
  return "POLYGON ((" + ring + "), " + kHoleInBump + ")";
}

// An OGR (GEOS) polygon of tile rings, closed again.
OGRGeometryH ogr_polygon(const std::vector<std::vector<TilePoint>>& rings) {
  OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
  for (const auto& r : rings) {
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    for (const auto& p : r) OGR_G_AddPoint_2D(ring, p.x, p.y);
    OGR_G_AddPoint_2D(ring, r.front().x, r.front().y);
    OGR_G_AddGeometryDirectly(polygon, ring);
  }
  return polygon;
}

// The test polygon built without and with simplification at `tolerance`; checks
// that the result is valid for GEOS (through OGR) with the hole, unchanged, inside
// the shell, oriented as MVT wants.
void check_simplified(double tolerance, TileGeometry& all, TileGeometry& simple) {
  amis::encode::TileFrame frame;
  frame.bounds = {0, 0, 4096, 4096};
  const auto wkt = wobbly_square_with_a_bump_wkt();
  const auto wkb = amis::testing::wkb_from_wkt(wkt.c_str());
  {
    OGRGeometryH source = nullptr;
    char* text = const_cast<char*>(wkt.c_str());
    ASSERT_EQ(OGR_G_CreateFromWkt(&text, nullptr, &source), OGRERR_NONE);
    ASSERT_TRUE(OGR_G_IsValid(source)) << "the test polygon itself must be valid";
    OGR_G_DestroyGeometry(source);
  }
  amis::encode::TileGeometryBuilder keep(frame, nullptr);
  ASSERT_TRUE(keep.build(wkb, all));
  frame.simplify = tolerance;
  amis::encode::TileGeometryBuilder simplify(frame, nullptr);
  ASSERT_TRUE(simplify.build(wkb, simple));
  ASSERT_EQ(all.parts.size(), 2u);
  EXPECT_GT(all.parts[0].size(), 780u);  // snapping kept the wobble: the simplifier sees it
  ASSERT_EQ(simple.parts.size(), 2u) << "the hole is kept as a hole";
  EXPECT_EQ(simple.parts[1].size(), 4u);

  // Valid for GEOS: no ring crosses itself or another, the hole inside the shell.
  OGRGeometryH polygon = ogr_polygon(simple.parts);
  EXPECT_TRUE(OGR_G_IsValid(polygon)) << "the simplified polygon is invalid";
  OGRGeometryH shell = ogr_polygon({simple.parts[0]});
  OGRGeometryH hole = ogr_polygon({simple.parts[1]});
  EXPECT_TRUE(OGR_G_Contains(shell, hole)) << "the hole left the shell";
  // The hole itself is unchanged (tile y grows downwards: 4096 - y).
  OGREnvelope h;
  OGR_G_GetEnvelope(hole, &h);
  EXPECT_EQ(h.MinX, 400);
  EXPECT_EQ(h.MaxX, 440);
  EXPECT_EQ(h.MinY, 4096 - 98);
  EXPECT_EQ(h.MaxY, 4096 - 95);
  // The area moves by at most the tolerance times the perimeter.
  OGRGeometryH original = ogr_polygon(all.parts);
  EXPECT_NEAR(OGR_G_Area(polygon), OGR_G_Area(original), tolerance * 3200);
  // Orientation as MVT wants it (y down: exterior positive, hole negative by the
  // surveyor's formula).
  auto area = [](const std::vector<TilePoint>& r) {
    std::int64_t a = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const auto& p = r[i];
      const auto& q = r[(i + 1) % r.size()];
      a += static_cast<std::int64_t>(p.x) * q.y - static_cast<std::int64_t>(q.x) * p.y;
    }
    return a;
  };
  EXPECT_GT(area(simple.parts[0]), 0);
  EXPECT_LT(area(simple.parts[1]), 0);
  for (auto g : {polygon, shell, hole, original}) OGR_G_DestroyGeometry(g);
}

TEST(TileGeometry, PolygonsAreSimplifiedKeepingTheirTopology) {
  TileGeometry all, simple;
  ASSERT_NO_FATAL_FAILURE(check_simplified(6, all, simple));
  EXPECT_LT(simple.parts[0].size(), 40u) << "the wobble is gone";
}

TEST(TileGeometry, APolygonWhoseHoleWouldLeaveItsShellStaysAsItWas) {
  TileGeometry all, simple;
  ASSERT_NO_FATAL_FAILURE(check_simplified(10, all, simple));
  EXPECT_EQ(simple.parts, all.parts);
}

}  // namespace
