#include "encode/gml_writer.hpp"

#include <gtest/gtest.h>
#include <ogr_api.h>

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "core/collection.hpp"
#include "core/feature.hpp"

using namespace amis;
using core::Value;
using encode::GmlVersion;

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

core::Collection mines() {
  core::Collection c;
  c.id = "mines";
  c.properties = {{"name", core::PropertyType::Text},
                  {"capacity", core::PropertyType::Real},
                  {"active", core::PropertyType::Boolean},
                  {"iso3", core::PropertyType::Text},
                  {"Area (km2)", core::PropertyType::Real}};
  return c;
}

const encode::GmlCoordinates kLatLon{GmlVersion::V3_2, "urn:ogc:def:crs:EPSG::4326", nullptr, true};

}  // namespace

TEST(GmlFeature, BoundsGeometryThenPropertiesInCollectionOrderWithNullsLeftOut) {
  const auto wkb = wkb_of("POINT (104.3 14.2)");
  const Value values[] = {{Value::Kind::Text, 0, 0, "Han & <Seng>"},
                          {Value::Kind::Real, 0, 2.5, {}},
                          {Value::Kind::Integer, 1, 0, {}},
                          {Value::Kind::Null, 0, 0, {}},
                          {Value::Kind::Real, 0, 12, {}}};
  std::string out;
  encode::append_gml_feature(out, mines(), core::FeatureView{7, wkb, values}, kLatLon);
  EXPECT_EQ(
      out,
      R"(<amis:mines gml:id="mines.7"><gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">)"
      R"(<gml:lowerCorner>14.2 104.3</gml:lowerCorner><gml:upperCorner>14.2 104.3</gml:upperCorner>)"
      R"(</gml:Envelope></gml:boundedBy><amis:geometry>)"
      R"(<gml:Point gml:id="mines.7.geom" srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>14.2 104.3</gml:pos></gml:Point>)"
      R"(</amis:geometry><amis:name>Han &amp; &lt;Seng&gt;</amis:name><amis:capacity>2.5</amis:capacity>)"
      R"(<amis:active>true</amis:active><amis:Area__km2_>12</amis:Area__km2_></amis:mines>)");
}

TEST(GmlFeature, ACorruptGeometryIsLeftOutAndTheFeatureStaysWellFormed) {
  const std::vector<std::uint8_t> corrupt = {1, 3, 0, 0, 0, 1, 0, 0,
                                             0, 5, 0, 0, 0, 0, 0};  // a ring cut short
  const Value values[] = {{Value::Kind::Text, 0, 0, "Kaltim Prima"}, {}, {}, {}, {}};
  std::string out;
  encode::append_gml_feature(out, mines(), core::FeatureView{8, corrupt, values}, kLatLon);
  EXPECT_EQ(out,
            R"(<amis:mines gml:id="mines.8"><amis:name>Kaltim Prima</amis:name></amis:mines>)");
}

TEST(GmlFeature, ACollectionIsOneWellFormedDocument) {
  const auto wkb = wkb_of("POINT (104.3 14.2)");
  const auto collection = mines();
  const Value values[] = {{Value::Kind::Text, 0, 0, "Bailongshan"}, {}, {}, {}, {}};
  std::string document =
      encode::gml_collection_start(GmlVersion::V3_2, {.number_matched = 2,
                                                      .number_returned = 2,
                                                      .next = "http://localhost/wfs?a=1&b=2",
                                                      .previous = "",
                                                      .schema_location = ""});
  core::StringSink sink(document);
  encode::GmlMembers members(sink, kLatLon);
  members.begin(collection);
  members.feature(core::FeatureView{1, wkb, values});
  members.feature(core::FeatureView{2, wkb, values});
  members.end();
  document += encode::gml_collection_end();

  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(document.c_str())) << document;
  const auto root = doc.document_element();
  EXPECT_STREQ(root.name(), "wfs:FeatureCollection");
  EXPECT_STREQ(root.attribute("numberMatched").value(), "2");
  EXPECT_STREQ(root.attribute("numberReturned").value(), "2");
  EXPECT_STREQ(root.attribute("next").value(), "http://localhost/wfs?a=1&b=2");
  int members_read = 0;
  for (auto member : root.children("wfs:member")) {
    ++members_read;
    EXPECT_FALSE(member.child("amis:mines").child("amis:geometry").child("gml:Point").empty())
        << document;
  }
  EXPECT_EQ(members_read, 2);
}

TEST(GmlFeature, Wfs11CollectionsCountFeaturesAndUseFeatureMembers) {
  const std::string start =
      encode::gml_collection_start(GmlVersion::V3_1_1, {.number_matched = std::nullopt,
                                                        .number_returned = 3,
                                                        .next = "",
                                                        .previous = "",
                                                        .schema_location = ""});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string((start + encode::gml_collection_end()).c_str())) << start;
  EXPECT_STREQ(doc.document_element().attribute("numberOfFeatures").value(), "3");
  EXPECT_TRUE(doc.document_element().attribute("numberMatched").empty());
  EXPECT_STREQ(doc.document_element().attribute("xmlns:gml").value(), encode::kGml311Namespace);
}
