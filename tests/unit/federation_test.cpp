// Node URLs (the SSRF rule's parts), schedules, and the capabilities and OGC API
// readers on small documents, checked against values written here by hand.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "federation/capabilities_reader.hpp"
#include "federation/node.hpp"
#include "federation/ogcapi_reader.hpp"
#include "federation/url.hpp"

namespace amis::federation {
namespace {

TEST(NodeUrl, SplitsAndResolves) {
  const auto u = parse_node_url("HTTP://Node.Example.org:8080/csw?x=1");
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host, "node.example.org");
  EXPECT_EQ(u.port, "8080");
  EXPECT_EQ(u.target, "/csw?x=1");
  EXPECT_EQ(resolve(u, "/other?y").text(), "http://node.example.org:8080/other?y");
  EXPECT_EQ(resolve(u, "items?page=2").text(), "http://node.example.org:8080/items?page=2");
  EXPECT_FALSE(resolve(u, "http://evil.example.org/").same_origin(u));
  EXPECT_FALSE(resolve(u, "//node.example.org:8081/").same_origin(u));
  EXPECT_TRUE(resolve(u, "http://node.example.org:8080/x").same_origin(u));
  EXPECT_EQ(parse_node_url("https://[::1]/a").origin(), "https://[::1]");
  EXPECT_EQ(with_path(parse_node_url("http://h/ogc/"), "/collections", "f=json").text(), "http://h/ogc/collections?f=json");
}

TEST(NodeUrl, RefusesWhatIsNoHttpUrl) {
  for (const char* bad : {"file:///etc/passwd", "ftp://h/", "gopher://h", "http://user:pw@h/", "http://h/#frag",
                          "http:///path", "http://h:0/", "http://h:99999/", "http://h /", "h/path", "http://[::1/"}) {
    EXPECT_THROW(parse_node_url(bad), core::InvalidValue) << bad;
  }
}

TEST(Schedule, ReadsUnitsAndBounds) {
  EXPECT_EQ(parse_schedule("6h"), 6 * 3600);
  EXPECT_EQ(parse_schedule("30m"), 1800);
  EXPECT_EQ(parse_schedule("1d"), 86400);
  EXPECT_EQ(parse_schedule("off"), 0);
  EXPECT_EQ(schedule_text(6 * 3600), "6h");
  for (const char* bad : {"5s", "59", "h", "-1h", "2y", "1.5h", ""}) EXPECT_THROW(parse_schedule(bad), core::InvalidValue) << bad;
}

TEST(Capabilities, WmtsLayersBecomeRecordsWithTheirFormatAndMatrixSets) {
  const auto page = read_wmts_capabilities(R"(<?xml version="1.0"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" version="1.0.0">
 <Contents>
  <Layer><ows:Title>Gravity anomaly</ows:Title><ows:Abstract>Bouguer</ows:Abstract>
   <ows:WGS84BoundingBox><ows:LowerCorner>95 -11</ows:LowerCorner><ows:UpperCorner>141 6</ows:UpperCorner></ows:WGS84BoundingBox>
   <ows:Identifier>gravity</ows:Identifier>
   <ows:Keywords><ows:Keyword>geophysics</ows:Keyword></ows:Keywords>
   <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style>
   <Format>image/jpeg</Format><Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>WebMercatorQuad</TileMatrixSet></TileMatrixSetLink>
   <TileMatrixSetLink><TileMatrixSet>WorldCRS84Quad</TileMatrixSet></TileMatrixSetLink>
  </Layer>
  <Layer><ows:Title>No identifier</ows:Title></Layer>
  <TileMatrixSet><ows:Identifier>WebMercatorQuad</ows:Identifier></TileMatrixSet>
 </Contents>
</Capabilities>)",
                                           "http://node/wmts");
  ASSERT_EQ(page.items.size(), 1u);
  ASSERT_EQ(page.failures.size(), 1u);
  EXPECT_EQ(page.failures[0].reason, "a layer without an identifier");
  const auto gravity = page.items[0].read();
  EXPECT_EQ(gravity.id, "gravity");
  EXPECT_EQ(gravity.title, "Gravity anomaly");
  EXPECT_EQ(gravity.abstract, "Bouguer");
  ASSERT_EQ(gravity.keywords.size(), 1u);
  EXPECT_EQ(gravity.keywords[0].keywords, std::vector<std::string>{"geophysics"});
  ASSERT_TRUE(gravity.extent);
  EXPECT_EQ(gravity.extent->min_x, 95);
  EXPECT_EQ(gravity.extent->max_y, 6);
  ASSERT_EQ(gravity.links.size(), 1u);
  EXPECT_EQ(gravity.links[0].href, "http://node/wmts");
  EXPECT_EQ(gravity.links[0].protocol, "OGC:WMTS");
  EXPECT_EQ(gravity.links[0].name, "gravity");
  EXPECT_EQ(gravity.links[0].type, "image/jpeg");
  EXPECT_EQ(gravity.links[0].format, "JPEG");
  EXPECT_EQ(gravity.links[0].title, "Gravity anomaly (WebMercatorQuad, WorldCRS84Quad)");
}

TEST(Capabilities, WhatIsNoWmtsCapabilitiesIsRefused) {
  EXPECT_THROW(read_wmts_capabilities(R"(<WMS_Capabilities version="1.3.0"/>)", "http://node/wmts"), core::ParsingFailed);
  EXPECT_THROW(read_wmts_capabilities(R"(<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1">
<ows:Exception exceptionCode="OperationNotSupported"/></ows:ExceptionReport>)", "http://node/wmts"), core::ParsingFailed);
}

TEST(Capabilities, WmsLayersInheritTheirParentsExtent) {
  const auto page = read_wms_capabilities(R"(<?xml version="1.0"?>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"><Service><Name>WMS</Name></Service>
<Capability><Layer><Title>All</Title>
 <EX_GeographicBoundingBox><westBoundLongitude>95</westBoundLongitude><eastBoundLongitude>141</eastBoundLongitude>
 <southBoundLatitude>-11</southBoundLatitude><northBoundLatitude>6</northBoundLatitude></EX_GeographicBoundingBox>
 <Layer><Name>mines</Name><Title>Mines</Title><KeywordList><Keyword>gold</Keyword></KeywordList></Layer>
 <Layer><Name>faults</Name><Title>Faults</Title>
  <EX_GeographicBoundingBox><westBoundLongitude>100</westBoundLongitude><eastBoundLongitude>101</eastBoundLongitude>
  <southBoundLatitude>0</southBoundLatitude><northBoundLatitude>1</northBoundLatitude></EX_GeographicBoundingBox></Layer>
</Layer></Capability></WMS_Capabilities>)",
                                          "http://node/wms");
  ASSERT_EQ(page.items.size(), 2u);
  const auto mines = page.items[0].read();
  EXPECT_EQ(mines.title, "Mines");
  ASSERT_TRUE(mines.extent);
  EXPECT_EQ(mines.extent->min_x, 95);
  EXPECT_EQ(mines.keywords.at(0).keywords.at(0), "gold");
  EXPECT_EQ(mines.links.at(0).protocol, "OGC:WMS");
  EXPECT_EQ(page.items[1].read().extent->max_x, 101);
  EXPECT_NE(page.items[0].digest, page.items[1].digest);
}

TEST(Capabilities, RefusesDtdsAndOtherDocuments) {
  EXPECT_THROW(read_wfs_capabilities("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                                     "<WFS_Capabilities>&e;</WFS_Capabilities>",
                                     "http://n/wfs"),
               core::ParsingFailed);
  EXPECT_THROW(read_wfs_capabilities("<WMS_Capabilities/>", "http://n/wfs"), core::ParsingFailed);
  EXPECT_THROW(read_wms_capabilities("<html><body>down</body></html>", "http://n/wms"), core::ParsingFailed);
}

TEST(Capabilities, WfsFeatureTypesWithTheirBoxes) {
  const auto page = read_wfs_capabilities(R"(<wfs:WFS_Capabilities xmlns:wfs="http://www.opengis.net/wfs/2.0"
  xmlns:ows="http://www.opengis.net/ows/1.1"><wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>amis:sites</wfs:Name>
  <wfs:Title>Sites</wfs:Title><ows:WGS84BoundingBox><ows:LowerCorner>100 -5</ows:LowerCorner>
  <ows:UpperCorner>120 10</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType><wfs:FeatureType/>
  </wfs:FeatureTypeList></wfs:WFS_Capabilities>)",
                                          "http://n/wfs");
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.failures.size(), 1u);
  const auto r = page.items[0].read();
  EXPECT_EQ(r.links.at(0).name, "amis:sites");
  EXPECT_EQ(r.extent->min_y, -5);
  EXPECT_EQ(r.extent->max_x, 120);
}

TEST(OgcApi, RecordsPageWithNextLink) {
  const auto page = read_records_page(R"({"type":"FeatureCollection","features":[
    {"id":"a","type":"Feature","geometry":{"type":"Polygon","coordinates":[[[100,0],[101,0],[101,1],[100,1],[100,0]]]},
     "properties":{"title":"A","type":"dataset","updated":"2024-01-02T03:04:05Z","keywords":["x"]},"links":[]},
    {"type":"Feature","properties":{}}],
    "links":[{"rel":"next","href":"/collections/catalog/items?offset=2"}]})");
  ASSERT_EQ(page.page.items.size(), 1u);
  EXPECT_EQ(page.page.failures.size(), 1u);
  EXPECT_EQ(page.next, "/collections/catalog/items?offset=2");
  EXPECT_EQ(page.page.items[0].source_modified, "2024-01-02T03:04:05.000Z");  // normalised UTC
  const auto r = page.page.items[0].read();
  EXPECT_EQ(r.title, "A");
  EXPECT_EQ(r.extent->max_x, 101);
  EXPECT_THROW(read_records_page("[1]"), core::ParsingFailed);
  EXPECT_THROW(record_from_ogcapi(nlohmann::json::parse(R"({"id":"x","properties":{"title":7}})")), core::InvalidValue);
}


TEST(OgcApi, ARecordsDigestIsOfItsTextAndOnlyChangesWithIt) {
  auto page_of = [](const std::string& record) {
    return read_records_page(R"({"type":"FeatureCollection","links":[],"features":[)" + record + "]}");
  };
  const std::string a = R"({"id":"a","type":"Feature","geometry":null,"properties":{"title":"A","type":"dataset"}})";
  const auto first = page_of(a);
  const auto again = page_of(a);
  const auto changed = page_of(R"({"id":"a","type":"Feature","geometry":null,"properties":{"title":"B","type":"dataset"}})");
  ASSERT_EQ(first.page.items.size(), 1u);
  EXPECT_EQ(first.page.items[0].digest, content_digest(a));  // `a` is minified JSON already
  EXPECT_EQ(first.page.items[0].digest, again.page.items[0].digest);
  EXPECT_NE(first.page.items[0].digest, changed.page.items[0].digest);
  EXPECT_EQ(changed.page.items[0].read().title, "B");
  // A number as the id, and a record whose properties hold no "updated".
  EXPECT_EQ(page_of(R"({"id":12,"properties":{"title":"N"}})").page.items[0].source_id, "12");
  EXPECT_THROW(read_records_page(R"({"type":"FeatureCollection","features":[{"id":"a"},]})"), core::ParsingFailed);
  EXPECT_THROW(read_records_page(R"({"type":"FeatureCollection","features":{}})"), core::ParsingFailed);
}

}  // namespace
}  // namespace amis::federation
