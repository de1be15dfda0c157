// WKB -> GML against GDAL's own GML reader, an independent implementation: what
// AMIS writes, OGR must read back as the geometry it started from.
#include "encode/gml_geometry.hpp"

#include <gtest/gtest.h>
#include <ogr_api.h>

#include <cctype>
#include <cstdint>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"

using amis::encode::GmlCoordinates;
using amis::encode::GmlVersion;

namespace {

constexpr const char* kSrsName = "urn:ogc:def:crs:EPSG::4326";
constexpr const char* kGmlId = "mines.1.geom";

class OgrGeometry {
 public:
  explicit OgrGeometry(OGRGeometryH g) : g_(g) {}
  ~OgrGeometry() { reset(nullptr); }
  OgrGeometry(const OgrGeometry&) = delete;
  OgrGeometry& operator=(const OgrGeometry&) = delete;
  OGRGeometryH get() const { return g_; }
  OGRGeometryH release() {
    OGRGeometryH g = g_;
    g_ = nullptr;
    return g;
  }
  void reset(OGRGeometryH g) {
    if (g_) OGR_G_DestroyGeometry(g_);
    g_ = g;
  }

 private:
  OGRGeometryH g_;
};

OGRGeometryH from_wkt(const char* wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt);
  EXPECT_EQ(OGR_G_CreateFromWkt(&text, nullptr, &g), OGRERR_NONE) << wkt;
  return g;
}

std::vector<std::uint8_t> wkb_of(const char* wkt) {
  OgrGeometry g(from_wkt(wkt));
  std::vector<std::uint8_t> wkb(static_cast<size_t>(OGR_G_WkbSize(g.get())));
  OGR_G_ExportToIsoWkb(g.get(), wkbNDR, wkb.data());
  return wkb;
}

GmlCoordinates coordinates(GmlVersion version, bool swap_xy) {
  return GmlCoordinates{version, kSrsName, nullptr, swap_xy};
}

std::string gml_of(const char* wkt, GmlVersion version, bool swap_xy = false) {
  std::string out;
  amis::encode::append_gml_geometry(out, wkb_of(wkt), coordinates(version, swap_xy), kGmlId);
  return out;
}

const char* version_name(GmlVersion v) { return v == GmlVersion::V3_2 ? "Gml32" : "Gml311"; }

// Every element below `node`, depth first.
void collect_elements(const pugi::xml_node& node, std::vector<pugi::xml_node>& out) {
  for (auto child : node.children())
    if (child.type() == pugi::node_element) {
      out.push_back(child);
      collect_elements(child, out);
    }
}

bool is_geometry_element(std::string_view name) {
  for (std::string_view g : {"gml:Point", "gml:LineString", "gml:Polygon", "gml:MultiPoint",
                             "gml:MultiCurve", "gml:MultiSurface", "gml:MultiGeometry"})
    if (name == g) return true;
  return false;
}

const char* const kAllTypes[] = {
    "POINT (104.3192826 14.1857983)",
    "LINESTRING (100 0,101 1,102.5 -0.25)",
    "POLYGON ((100 0,101 0,101 1,100 1,100 0),(100.2 0.2,100.8 0.2,100.8 0.8,100.2 0.2))",
    "MULTIPOINT ((100 0),(101 1))",
    "MULTILINESTRING ((100 0,101 1),(102 2,103 3))",
    "MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 0,101 0,101 1,100 1,100 0),(100.2 "
    "0.2,100.8 0.2,100.8 0.8,100.2 0.2)))",
    "GEOMETRYCOLLECTION (POINT (100 0),LINESTRING (101 0,102 1),POLYGON ((100 0,101 0,101 1,100 "
    "0)))",
    "POINT Z (104.3 14.2 25.5)",
    "LINESTRING Z (100 0 5,101 1 10,102 2 -3.25)",
};

}  // namespace

class GmlRoundTrip : public ::testing::TestWithParam<std::tuple<const char*, GmlVersion, bool>> {};

TEST_P(GmlRoundTrip, OgrReadsBackTheSameGeometry) {
  const auto& [wkt, version, swap_xy] = GetParam();
  const std::string gml = gml_of(wkt, version, swap_xy);
  OgrGeometry parsed(OGR_G_CreateFromGML(gml.c_str()));
  ASSERT_NE(parsed.get(), nullptr) << gml;
  OgrGeometry expected(from_wkt(wkt));
  if (swap_xy) OGR_G_SwapXY(expected.get());
  // OGR may read gml:MultiCurve as a MULTICURVE, gml:MultiSurface as a MULTISURFACE.
  const auto type = OGR_G_GetGeometryType(expected.get());
  if (OGR_G_GetGeometryType(parsed.get()) != type)
    parsed.reset(OGR_G_ForceTo(parsed.release(), type, nullptr));
  EXPECT_TRUE(OGR_G_Equals(parsed.get(), expected.get())) << wkt << "\n" << gml;
}

INSTANTIATE_TEST_SUITE_P(AllSimpleFeatureTypes, GmlRoundTrip,
                         ::testing::Combine(::testing::ValuesIn(kAllTypes),
                                            ::testing::Values(GmlVersion::V3_2, GmlVersion::V3_1_1),
                                            ::testing::Bool()),
                         [](const auto& param_info) {
                           std::string name = std::get<0>(param_info.param);
                           name = name.substr(0, name.find('('));
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           while (!name.empty() && name.back() == '_') name.pop_back();
                           return name + "_" + version_name(std::get<1>(param_info.param)) +
                                  (std::get<2>(param_info.param) ? "_LatLon" : "_LonLat");
                         });

TEST(GmlGeometry, SwapWritesLatitudeFirst) {
  EXPECT_EQ(
      gml_of("POINT (104.3 14.2)", GmlVersion::V3_2, true),
      R"(<gml:Point gml:id="mines.1.geom" srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>14.2 104.3</gml:pos></gml:Point>)");
  EXPECT_EQ(
      gml_of("POINT (104.3 14.2)", GmlVersion::V3_1_1, false),
      R"(<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>104.3 14.2</gml:pos></gml:Point>)");
}

TEST(GmlGeometry, ZIsDeclaredOnceOnTheOuterElementAndStaysLast) {
  EXPECT_EQ(gml_of("LINESTRING Z (100 0 5,101 1 10)", GmlVersion::V3_1_1, true),
            R"(<gml:LineString srsName="urn:ogc:def:crs:EPSG::4326" srsDimension="3">)"
            "<gml:posList>0 100 5 1 101 10</gml:posList></gml:LineString>");
}

TEST(GmlGeometry, MeasuresAreDropped) {
  EXPECT_EQ(
      gml_of("POINT M (1 2 9)", GmlVersion::V3_1_1),
      R"(<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>1 2</gml:pos></gml:Point>)");
  EXPECT_EQ(gml_of("LINESTRING ZM (1 2 3 9,4 5 6 9)", GmlVersion::V3_1_1),
            R"(<gml:LineString srsName="urn:ogc:def:crs:EPSG::4326" srsDimension="3">)"
            "<gml:posList>1 2 3 4 5 6</gml:posList></gml:LineString>");
}

TEST(GmlGeometry, Gml32GivesEveryGeometryAUniqueIdAndOnlyTheOuterOneAnSrsName) {
  const std::string gml = gml_of(
      "GEOMETRYCOLLECTION (POINT (100 0),MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 "
      "0,101 0,101 1,100 0))),"
      "GEOMETRYCOLLECTION (MULTILINESTRING ((1 2,3 4)),MULTIPOINT ((5 6))))",
      GmlVersion::V3_2);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(gml.c_str())) << gml;
  const auto root = doc.document_element();
  EXPECT_STREQ(root.name(), "gml:MultiGeometry");
  EXPECT_STREQ(root.attribute("gml:id").value(), kGmlId);
  EXPECT_STREQ(root.attribute("srsName").value(), kSrsName);
  std::vector<pugi::xml_node> nested;
  collect_elements(root, nested);
  std::set<std::string> ids;
  for (const auto& e : nested) {
    EXPECT_TRUE(e.attribute("srsName").empty()) << e.name();
    EXPECT_TRUE(e.attribute("srsDimension").empty()) << e.name();
    if (!is_geometry_element(e.name())) {
      EXPECT_TRUE(e.attribute("gml:id").empty()) << e.name();  // rings, members, posList
      continue;
    }
    const std::string id = e.attribute("gml:id").value();
    EXPECT_TRUE(ids.insert(id).second)
        << "missing or repeated gml:id '" << id << "' on " << e.name();
  }
  const std::set<std::string> expected = {
      "mines.1.geom.1",     "mines.1.geom.2",   "mines.1.geom.2.1",
      "mines.1.geom.2.2",   "mines.1.geom.3",   "mines.1.geom.3.1",
      "mines.1.geom.3.1.1", "mines.1.geom.3.2", "mines.1.geom.3.2.1"};
  EXPECT_EQ(ids, expected);
}

TEST(GmlGeometry, Gml311HasNoGmlIdsAndOneSrsName) {
  const std::string gml =
      gml_of("MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 0,101 0,101 1,100 0)))",
             GmlVersion::V3_1_1);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(gml.c_str())) << gml;
  const auto root = doc.document_element();
  EXPECT_STREQ(root.name(), "gml:MultiSurface");
  EXPECT_TRUE(root.attribute("gml:id").empty());
  EXPECT_STREQ(root.attribute("srsName").value(), kSrsName);
  std::vector<pugi::xml_node> nested;
  collect_elements(root, nested);
  for (const auto& e : nested) {
    EXPECT_TRUE(e.attribute("gml:id").empty()) << e.name();
    EXPECT_TRUE(e.attribute("srsName").empty()) << e.name();
  }
}

TEST(GmlGeometry, AttributesAreEscaped) {
  std::string out;
  amis::encode::append_gml_geometry(out, wkb_of("POINT (1 2)"),
                                    {GmlVersion::V3_2, "x&y", nullptr, false}, "a<b\"c");
  EXPECT_EQ(
      out,
      R"(<gml:Point gml:id="a&lt;b&quot;c" srsName="x&amp;y"><gml:pos>1 2</gml:pos></gml:Point>)");
}

TEST(GmlGeometry, ReprojectsThroughATransform) {
  const amis::encode::CoordinateTransform to_mercator(amis::core::Crs{3857}, "srsName");
  std::string out;
  amis::encode::append_gml_geometry(
      out, wkb_of("POINT (104 14)"),
      {GmlVersion::V3_2, "urn:ogc:def:crs:EPSG::3857", &to_mercator, false}, kGmlId);
  OgrGeometry parsed(OGR_G_CreateFromGML(out.c_str()));
  ASSERT_NE(parsed.get(), nullptr) << out;
  EXPECT_NEAR(OGR_G_GetX(parsed.get(), 0), 11577227.042500451, 1e-3) << out;
  EXPECT_NEAR(OGR_G_GetY(parsed.get(), 0), 1574216.5481614638, 1e-3) << out;
}

TEST(GmlGeometry, EmptyBlobWritesNothing) {
  std::string out;
  amis::encode::append_gml_geometry(out, {}, coordinates(GmlVersion::V3_2, false), kGmlId);
  EXPECT_EQ(out, "");
}

TEST(GmlGeometry, TruncatedWkbThrowsInsteadOfReadingPastTheEnd) {
  const auto wkb =
      wkb_of("MULTIPOLYGON (((102 2,103 2,103 3,102 3,102 2)),((100 0,101 0,101 1,100 0)))");
  for (size_t n = 1; n < wkb.size(); ++n) {
    const std::vector<std::uint8_t> cut(wkb.begin(), wkb.begin() + static_cast<long>(n));
    std::string out;
    EXPECT_THROW(
        amis::encode::append_gml_geometry(out, cut, coordinates(GmlVersion::V3_2, false), kGmlId),
        amis::core::WkbError)
        << n;
  }
}

TEST(GmlGeometry, HostileWkbThrows) {
  const std::vector<std::vector<std::uint8_t>> hostile = {
      {1, 99, 0, 0, 0},                                     // no such geometry type
      {1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff},              // 2^32-1 points and no coordinates
      {1, 3, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f},  // a ring of 2^31-1 points
  };
  for (const auto& wkb : hostile) {
    std::string out;
    EXPECT_THROW(
        amis::encode::append_gml_geometry(out, wkb, coordinates(GmlVersion::V3_2, false), kGmlId),
        amis::core::WkbError);
  }
}

TEST(GmlGeometry, NestingDeeperThan32CollectionsThrows) {
  std::vector<std::uint8_t> wkb;
  for (int i = 0; i < 40; ++i)
    wkb.insert(wkb.end(), {1, 7, 0, 0, 0, 1, 0, 0, 0});  // a collection of one
  const auto point = wkb_of("POINT (1 2)");
  wkb.insert(wkb.end(), point.begin(), point.end());
  std::string out;
  EXPECT_THROW(
      amis::encode::append_gml_geometry(out, wkb, coordinates(GmlVersion::V3_2, false), kGmlId),
      amis::core::WkbError);
}
