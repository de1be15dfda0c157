// CSW requests typed into catalogue queries: queryables mapped, EPSG:4326 boxes
// read latitude first, unknown names and oversized pages refused.
#include <gtest/gtest.h>

#include "api/csw/csw_query.hpp"
#include "api/csw/csw_request.hpp"
#include "core/error.hpp"

namespace {

using amis::api::csw::CswRequest;
using amis::api::csw::get_records_query;
using amis::api::csw::parse_xml_request;

std::string get_records(const std::string& filter) {
  return R"(<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc" )"
         R"(xmlns:gml="http://www.opengis.net/gml" service="CSW" version="2.0.2" resultType="results" maxRecords="5">)"
         R"(<csw:Query typeNames="csw:Record"><csw:ElementSetName>brief</csw:ElementSetName>)"
         R"(<csw:Constraint version="1.1.0"><ogc:Filter>)" +
         filter + "</ogc:Filter></csw:Constraint></csw:Query></csw:GetRecords>";
}

TEST(CswQuery, BBoxInEpsg4326IsLatitudeFirstAndGoesToTheSpatialIndex) {
  const auto q = get_records_query(parse_xml_request(get_records(
      R"(<ogc:BBOX><ogc:PropertyName>ows:BoundingBox</ogc:PropertyName><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326">)"
      R"(<gml:lowerCorner>-5 100</gml:lowerCorner><gml:upperCorner>20 120</gml:upperCorner></gml:Envelope></ogc:BBOX>)")));
  ASSERT_TRUE(q.query.bbox);
  EXPECT_DOUBLE_EQ(q.query.bbox->min_x, 100);
  EXPECT_DOUBLE_EQ(q.query.bbox->min_y, -5);
  EXPECT_DOUBLE_EQ(q.query.bbox->max_x, 120);
  EXPECT_DOUBLE_EQ(q.query.bbox->max_y, 20);
  EXPECT_FALSE(q.query.filter);
  EXPECT_EQ(q.query.limit, 5);
  EXPECT_FALSE(q.hits_only);
}

TEST(CswQuery, AnyTextWordsEveryMatchHasGoToTheFullTextIndex) {
  const auto q = get_records_query(parse_xml_request(get_records(
      R"(<ogc:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\"><ogc:PropertyName>csw:AnyText</ogc:PropertyName>)"
      R"(<ogc:Literal>%gold 50\%_copper%</ogc:Literal></ogc:PropertyIsLike>)")));
  EXPECT_EQ(q.query.any_text, (std::vector<std::string>{"gold", "50%", "copper"}));
  EXPECT_FALSE(q.query.filter);
}

TEST(CswQuery, AnyTextUnderOrIsAConditionOnEveryTextField) {
  const auto q = get_records_query(parse_xml_request(get_records(
      R"(<ogc:Or><ogc:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\"><ogc:PropertyName>csw:AnyText)"
      R"(</ogc:PropertyName><ogc:Literal>%gold%</ogc:Literal></ogc:PropertyIsLike><ogc:PropertyIsEqualTo>)"
      R"(<ogc:PropertyName>dc:type</ogc:PropertyName><ogc:Literal>service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Or>)")));
  EXPECT_TRUE(q.query.any_text.empty());
  ASSERT_TRUE(q.query.filter);
  const auto text = amis::core::to_debug_string(*q.query.filter);
  EXPECT_NE(text.find("%gold%"), std::string::npos) << text;
  EXPECT_NE(text.find("keywords"), std::string::npos) << text;
  EXPECT_NE(text.find("themes"), std::string::npos) << text;
  EXPECT_EQ(text.find("anytext"), std::string::npos) << text;
  EXPECT_EQ(text.find("AnyText"), std::string::npos) << text;
}

TEST(CswQuery, UnknownQueryablesAndXPathAreRefused) {
  for (const char* name : {"apiso:Secret", "/csw:Record/dc:title[1]", "exec(java.lang.Runtime)"}) {
    const std::string filter = std::string("<ogc:PropertyIsEqualTo><ogc:PropertyName>") + name +
                               "</ogc:PropertyName><ogc:Literal>x</ogc:Literal></ogc:PropertyIsEqualTo>";
    try {
      get_records_query(parse_xml_request(get_records(filter)));
      FAIL() << name << " was accepted";
    } catch (const amis::core::OgcError& e) {
      EXPECT_EQ(e.status(), 400) << name;
      EXPECT_EQ(e.locator(), "Constraint") << name;
    }
  }
}

TEST(CswQuery, MaxRecordsIsBoundedAndPagesAreUncapped) {
  CswRequest r;
  r.operation = "GetRecords";
  r.type_names = {"csw:Record"};
  r.result_type = "results";
  r.max_records = "100000000";
  EXPECT_THROW(get_records_query(r), amis::core::InvalidParameter);
  r.max_records = "50";
  r.start_position = "250001";
  const auto q = get_records_query(r);
  EXPECT_EQ(q.query.offset, 250000);
  EXPECT_EQ(q.query.limit, 50);
}

// A KVP GetRecords with a CQL_TEXT constraint.
CswRequest cql_request(const std::string& type_name, const std::string& cql) {
  CswRequest r;
  r.operation = "GetRecords";
  r.type_names = {type_name};
  r.constraint_language = "CQL_TEXT";
  r.constraint = cql;
  return r;
}

TEST(CswQuery, CqlBboxAndDates) {
  const auto q = get_records_query(cql_request(
      "gmd:MD_Metadata", "BBOX(ows:BoundingBox, 100, -5, 120, 20) AND apiso:Modified >= '2020-01-01'"));
  ASSERT_TRUE(q.query.bbox);
  EXPECT_DOUBLE_EQ(q.query.bbox->min_x, 100);
  ASSERT_TRUE(q.query.filter);
  EXPECT_NE(amis::core::to_debug_string(*q.query.filter).find("updated"), std::string::npos);
  EXPECT_TRUE(q.hits_only);
}

TEST(CswQuery, CqlBboxInsideAStringIsText) {
  auto r = cql_request("csw:Record", "dc:title LIKE 'BBOX(ows:BoundingBox, 1, 2, 3, 4)%'");
  const auto q = get_records_query(r);
  EXPECT_FALSE(q.query.bbox);
  ASSERT_TRUE(q.query.filter);
  EXPECT_NE(amis::core::to_debug_string(*q.query.filter).find("BBOX(ows:BoundingBox"), std::string::npos);
  // many BBOX( without arguments are read in one pass and refused by the parser
  std::string hostile;
  for (int i = 0; i < 20000; ++i) hostile += "BBOX(";
  r.constraint = hostile;
  EXPECT_THROW(get_records_query(r), amis::core::OgcError);
}

TEST(CswRequest, XmlWithADoctypeIsRefused) {
  EXPECT_THROW(parse_xml_request("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                                 "<csw:GetCapabilities xmlns:csw=\"http://www.opengis.net/cat/csw/2.0.2\"/>"),
               amis::core::ParsingFailed);
}

}  // namespace
