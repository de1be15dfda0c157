// Cascading's parts on small inputs written here by hand: pages of features read
// into store values, schemas inferred, node URLs built from a feature query
// (forwarded or refused), filters written back as CQL2-JSON (parsed again to the
// same tree), and the bounded cache.
#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "core/error.hpp"
#include "federation/cascade_cache.hpp"
#include "federation/cascade_request.hpp"
#include "federation/collection_json.hpp"
#include "federation/remote_page.hpp"
#include "query/cql2.hpp"
#include "query/cql2_json_writer.hpp"
#include "render/map_image.hpp"
#include "federation/wms_cascade.hpp"
#include "federation/gml_page.hpp"

namespace amis::federation {
namespace {

constexpr const char* kPage = R"({"type":"FeatureCollection","numberMatched":7,"features":[
 {"type":"Feature","id":12,"geometry":{"type":"Point","coordinates":[110.5,-7.25]},
  "properties":{"name":"a","tonnes":5,"grade":1.5,"open":true}},
 {"type":"Feature","id":"sites.40","geometry":null,"properties":{"name":null,"tonnes":2,"grade":2,"open":false}},
 {"type":"Feature","id":"x-y","geometry":null,"properties":{"name":"c"}}],
 "links":[{"rel":"next","href":"/collections/sites/items?offset=3"}]})";

TEST(RemotePage, InfersTheSchemaAndReadsValuesInItsOrder) {
  core::Collection c;
  infer_schema(kPage, c);
  ASSERT_EQ(c.properties.size(), 4u);
  // by name (as the JSON objects are read)
  EXPECT_EQ(c.properties[0].name, "grade");
  EXPECT_EQ(c.properties[0].type, core::PropertyType::Real);  // 1.5 then 2
  EXPECT_EQ(c.properties[1].name, "name");
  EXPECT_EQ(c.properties[1].type, core::PropertyType::Text);
  EXPECT_EQ(c.properties[2].type, core::PropertyType::Boolean);
  EXPECT_EQ(c.properties[3].name, "tonnes");
  EXPECT_EQ(c.properties[3].type, core::PropertyType::Integer);
  EXPECT_EQ(c.geometry_type, "POINT");
  const auto page = read_remote_page(kPage, c, 31);
  ASSERT_EQ(page.features.size(), 3u);
  EXPECT_EQ(page.number_matched, 7);
  EXPECT_EQ(page.next, "/collections/sites/items?offset=3");
  EXPECT_EQ(page.features[0].id, 12);
  EXPECT_EQ(page.features[1].id, 40);  // "sites.40"
  EXPECT_EQ(page.features[1].source_id, "sites.40");
  EXPECT_EQ(page.features[2].id, 33);  // no number: its position
  EXPECT_EQ(page.features[0].wkb.size(), 21u);
  EXPECT_TRUE(page.features[1].wkb.empty());
  std::vector<core::Value> values;
  page.features[0].view({3, 2}, values);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].integer, 5);
  EXPECT_EQ(values[1].integer, 1);
  page.features[1].view({1, 0}, values);
  EXPECT_EQ(values[0].kind, core::Value::Kind::Null);
  EXPECT_EQ(values[1].kind, core::Value::Kind::Real);
  EXPECT_DOUBLE_EQ(values[1].real, 2.0);
  const auto again = collection_from_json(collection_json(c));
  EXPECT_EQ(again.properties.size(), 4u);
  EXPECT_EQ(again.properties[2].type, core::PropertyType::Boolean);
}

TEST(RemotePage, RefusesWhatIsNoFeatureCollection) {
  core::Collection c;
  for (const char* bad : {"", "[]", "<html>", R"({"type":"FeatureCollection"})", R"({"features":[]})",
                          R"({"type":"FeatureCollection","features":[{"geometry":{"type":"Nope"}}]})"})
    EXPECT_THROW(read_remote_page(bad, c), core::ParsingFailed) << bad;
}

Node oapif_node() {
  Node n;
  n.name = "idn";
  n.url = "http://node.example:8080/ogc/collections";
  n.kind = NodeKind::Oapif;
  return n;
}

TEST(CascadeRequest, ForwardsWhatOgcApiCarries) {
  core::FeatureQuery q;
  core::Envelope e;
  e.min_x = 100;
  e.min_y = -5;
  e.max_x = 120;
  e.max_y = 10;
  q.bbox = e;
  q.equals.push_back({"commodity", "Ni & Co"});
  q.filter = std::make_shared<core::Expression>(query::parse_cql2_text("tonnes > 5"));
  q.sortby.push_back({"tonnes", true});
  const auto url = page_url(oapif_node(), "sites", q, 100, 200).text();
  EXPECT_EQ(url.rfind("http://node.example:8080/ogc/collections/sites/items?f=json&limit=100&offset=200&bbox=100,-5,120,10", 0), 0u) << url;
  EXPECT_NE(url.find("commodity=Ni%20%26%20Co"), std::string::npos) << url;
  EXPECT_NE(url.find("filter-lang=cql2-json"), std::string::npos) << url;
  EXPECT_NE(url.find("sortby=-tonnes"), std::string::npos) << url;
  EXPECT_EQ(feature_url(oapif_node(), "sites", 7).text(), "http://node.example:8080/ogc/collections/sites/items/7?f=json");
}

TEST(CascadeRequest, RefusesWhatAWfsCannotCarry) {
  Node n = oapif_node();
  n.kind = NodeKind::Wfs;
  n.url = "http://node.example/wfs";
  core::FeatureQuery q;
  EXPECT_NE(page_url(n, "ms:sites", q, 10, 0).text().find("typeNames=ms:sites&count=10"), std::string::npos);
  q.filter = std::make_shared<core::Expression>(query::parse_cql2_text("tonnes > 5"));
  EXPECT_THROW(page_url(n, "ms:sites", q, 10, 0), core::InvalidParameter);
  n.kind = NodeKind::Csw;
  EXPECT_THROW(source_description_url(n, "x"), core::InvalidValue);
}

TEST(Cql2JsonWriter, WritesWhatParsesToTheSameTree) {
  for (const char* text :
       {"tonnes > 5 AND name LIKE 'a%'", "S_INTERSECTS(geometry, POLYGON((100 0, 101 0, 101 1, 100 1, 100 0)))",
        "T_DURING(updated, INTERVAL('2020-01-01', '..'))", "commodity IN ('Ni', 'Au') OR NOT (grade BETWEEN 1 AND 2)",
        "updated > TIMESTAMP('2020-01-01T00:00:00Z')", "S_WITHIN(geometry, BBOX(100, -5, 120, 10))",
        "CASEI(name) = casei('A')", "grade IS NULL"}) {
    const auto tree = query::parse_cql2_text(text);
    const auto json = query::to_cql2_json(tree);
    ASSERT_TRUE(json) << text;
    EXPECT_EQ(core::to_debug_string(query::parse_cql2_json(*json)), core::to_debug_string(tree)) << text << " " << *json;
  }
  EXPECT_FALSE(query::to_cql2_json(core::Expression::op("not_true", {core::Expression::property("a")})));
}

TEST(CascadeCache, KeepsWithinItsBoundAndTtl) {
  auto page = [](std::size_t bytes) {
    auto p = std::make_shared<RemotePage>();
    p->bytes = bytes;
    return p;
  };
  CascadeCache cache(10000, std::chrono::milliseconds(200));
  cache.put("a", page(4000));
  cache.put("b", page(4000));
  ASSERT_TRUE(cache.find("a"));  // a is now the most recent
  cache.put("c", page(4000));   // b goes
  EXPECT_TRUE(cache.find("a"));
  EXPECT_FALSE(cache.find("b"));
  EXPECT_TRUE(cache.find("c"));
  EXPECT_LE(cache.bytes(), 10000u);
  cache.put("huge", page(20000));
  EXPECT_FALSE(cache.find("huge"));
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_FALSE(cache.find("a"));
}

constexpr const char* kGml32 = R"(<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"
 xmlns:ms="http://mapserver.gis.umn.edu/mapserver" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 numberMatched="40" numberReturned="2">
<wfs:member><ms:areas gml:id="areas.7"><gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">
<gml:lowerCorner>1 100</gml:lowerCorner><gml:upperCorner>2 101</gml:upperCorner></gml:Envelope></gml:boundedBy>
<ms:msGeometry><gml:Point gml:id="p7" srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-7.25 110.5</gml:pos></gml:Point></ms:msGeometry>
<ms:name>area-07</ms:name><ms:tonnes>12</ms:tonnes><ms:grade>1.5</ms:grade></ms:areas></wfs:member>
<wfs:member><ms:areas gml:id="areas.x"><ms:msGeometry><gml:Point gml:id="p8" srsName="urn:ogc:def:crs:EPSG::4326">
<gml:pos>1 2</gml:pos></gml:Point></ms:msGeometry><ms:name xsi:nil="true"/><ms:tonnes>3</ms:tonnes><ms:grade>2</ms:grade>
</ms:areas></wfs:member></wfs:FeatureCollection>)";

TEST(GmlPage, ReadsAWfs20PageWithItsSchema) {
  core::Collection c;
  infer_gml_schema(kGml32, c);
  EXPECT_EQ(c.geometry_type, "POINT");
  ASSERT_EQ(c.properties.size(), 3u);
  EXPECT_EQ(c.properties[0].type, core::PropertyType::Text);
  EXPECT_EQ(c.properties[1].type, core::PropertyType::Integer);
  EXPECT_EQ(c.properties[2].type, core::PropertyType::Real);
  const auto page = read_gml_page(kGml32, c, 11);
  ASSERT_EQ(page.features.size(), 2u);
  EXPECT_EQ(page.number_matched.value_or(-1), 40);
  EXPECT_EQ(page.features[0].id, 7);
  EXPECT_EQ(page.features[0].source_id, "areas.7");
  EXPECT_EQ(page.features[1].id, 12);  // no number in its id: its position
  EXPECT_EQ(page.features[0].values[0].text, "area-07");
  EXPECT_EQ(page.features[1].values[0].kind, core::Value::Kind::Null);
  EXPECT_EQ(page.features[0].values[2].real, 1.5);
  // POINT(110.5 -7.25) in CRS84 (the EPSG:4326 URN is latitude first): ISO WKB, little endian.
  ASSERT_EQ(page.features[0].wkb.size(), 21u);
  double x = 0, y = 0;
  std::memcpy(&x, page.features[0].wkb.data() + 5, 8);
  std::memcpy(&y, page.features[0].wkb.data() + 13, 8);
  EXPECT_DOUBLE_EQ(x, 110.5);
  EXPECT_DOUBLE_EQ(y, -7.25);
}

TEST(GmlPage, RefusesEntitiesExceptionsAndOtherDocuments) {
  core::Collection c;
  EXPECT_THROW(infer_gml_schema(R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<wfs:FeatureCollection xmlns:wfs="w"><wfs:member><a><b>&e;</b></a></wfs:member></wfs:FeatureCollection>)", c),
               core::ParsingFailed);
  EXPECT_THROW(read_gml_page("<ows:ExceptionReport xmlns:ows=\"o\"/>", c), core::ParsingFailed);
  EXPECT_THROW(read_gml_page("<html><body>down</body></html>", c), core::ParsingFailed);
  EXPECT_THROW(read_gml_page("{\"type\":\"FeatureCollection\"}", c), core::ParsingFailed);
}

TEST(WmsCascade, AsksTheNodeWithItsOwnParametersLessTheRequests) {
  Node n;
  n.name = "ms";
  n.kind = NodeKind::Wms;
  n.url = "http://example.org/mapserv?map=minerals&SERVICE=WMS&request=GetCapabilities";
  const auto url = wms_request_url(n, "REQUEST=GetMap");
  EXPECT_EQ(url.target, "/mapserv?map=minerals&REQUEST=GetMap");
  n.url = "http://example.org/wms";
  EXPECT_EQ(wms_request_url(n, "REQUEST=GetMap").target, "/wms?REQUEST=GetMap");
}

TEST(MapImage, ReadsOnlyAPngOrJpegOfTheMapsSize) {
  render::MapRequest map;
  map.width = 20;
  map.height = 10;
  map.background = {10, 20, 30};
  const std::string png = render::render_message(map, "");
  const auto rgba = render::decode_map_image(png, 20, 10);
  ASSERT_EQ(rgba.size(), 20u * 10u * 4u);
  EXPECT_EQ(rgba[0], 10);
  EXPECT_EQ(rgba[1], 20);
  EXPECT_EQ(rgba[2], 30);
  EXPECT_EQ(rgba[3], 255);
  EXPECT_THROW(render::decode_map_image(png, 21, 10), core::ParsingFailed);
  EXPECT_THROW(render::decode_map_image("<ServiceExceptionReport/>", 20, 10), core::ParsingFailed);
  EXPECT_THROW(render::decode_map_image(png.substr(0, 60), 20, 10), core::ParsingFailed);
}

}  // namespace
}  // namespace amis::federation
