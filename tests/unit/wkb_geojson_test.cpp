// WKB -> GeoJSON against GDAL's own GeoJSON writer, an independent implementation.
#include <gtest/gtest.h>
#include <cpl_conv.h>
#include <ogr_api.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "core/wkb.hpp"
#include "encode/geojson_geometry.hpp"

namespace {

std::vector<std::uint8_t> wkb_of(const char* wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt);
  EXPECT_EQ(OGR_G_CreateFromWkt(&text, nullptr, &g), OGRERR_NONE) << wkt;
  std::vector<std::uint8_t> wkb(static_cast<size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
  OGR_G_DestroyGeometry(g);
  return wkb;
}

nlohmann::json gdal_geojson(const char* wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt);
  OGR_G_CreateFromWkt(&text, nullptr, &g);
  char* json = OGR_G_ExportToJsonEx(g, nullptr);
  auto parsed = nlohmann::json::parse(json);
  CPLFree(json);
  OGR_G_DestroyGeometry(g);
  return parsed;
}

nlohmann::json ours(const std::vector<std::uint8_t>& wkb) {
  std::string out;
  amis::encode::append_geojson_geometry(out, wkb);
  return nlohmann::json::parse(out);
}

}  // namespace

class WkbToGeoJson : public ::testing::TestWithParam<const char*> {};

TEST_P(WkbToGeoJson, MatchesGdal) { EXPECT_EQ(ours(wkb_of(GetParam())), gdal_geojson(GetParam())); }

INSTANTIATE_TEST_SUITE_P(
    AllSimpleFeatureTypes, WkbToGeoJson,
    ::testing::Values("POINT (104.3192826 14.1857983)", "POINT Z (1 2 3)",
                      "LINESTRING (100 0,101 1,102.5 -0.25)",
                      "POLYGON ((100 0,101 0,101 1,100 1,100 0),(100.2 0.2,100.8 0.2,100.8 0.8,100.2 0.2))",
                      "MULTIPOINT ((100 0),(101 1))", "MULTILINESTRING ((100 0,101 1),(102 2,103 3))",
                      "MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 0,101 0,101 1,100 1,100 0)))",
                      "GEOMETRYCOLLECTION (POINT (100 0),LINESTRING (101 0,102 1))"));

TEST(WkbToGeoJsonM, DropsMeasures) {
  EXPECT_EQ(ours(wkb_of("POINT M (1 2 9)")), nlohmann::json::parse(R"({"type":"Point","coordinates":[1.0,2.0]})"));
  EXPECT_EQ(ours(wkb_of("POINT ZM (1 2 3 9)")),
            nlohmann::json::parse(R"({"type":"Point","coordinates":[1.0,2.0,3.0]})"));
}

TEST(WkbToGeoJson, EmptyBlobIsNull) { EXPECT_EQ(ours({}), nullptr); }

TEST(WkbToGeoJson, TruncatedOrHostileWkbThrowsInsteadOfReadingPastTheEnd) {
  auto wkb = wkb_of("LINESTRING (100 0,101 1,102.5 -0.25)");
  for (size_t n = 1; n < wkb.size(); ++n) {
    std::vector<std::uint8_t> cut(wkb.begin(), wkb.begin() + static_cast<long>(n));
    std::string out;
    EXPECT_THROW(amis::encode::append_geojson_geometry(out, cut), amis::core::WkbError) << n;
  }
  // A point count of 2^32-1 with no coordinates behind it.
  std::vector<std::uint8_t> huge = {1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
  std::string out;
  EXPECT_THROW(amis::encode::append_geojson_geometry(out, huge), amis::core::WkbError);
}

TEST(WkbEnvelope, CoversAllCoordinates) {
  const auto env = amis::core::wkb_envelope(
      wkb_of("MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 -1,101 0,101 1,100 1,100 -1)))"));
  EXPECT_EQ(env.min_x, 100);
  EXPECT_EQ(env.min_y, -1);
  EXPECT_EQ(env.max_x, 103);
  EXPECT_EQ(env.max_y, 3);
}
