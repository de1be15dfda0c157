// Both encodings of a WFS request, KVP and XML, read into the same WfsRequest.
#include "api/wfs/wfs_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/expression.hpp"
#include "query/fes.hpp"
#include "query/xml_document.hpp"
#include "test_support.hpp"

using namespace amis;
using api::wfs::parse_kvp_request;
using api::wfs::parse_xml_request;
using Strings = std::vector<std::string>;

namespace {

http::Request kvp(std::vector<std::pair<std::string, std::string>> query) {
  http::Request r;
  r.method = "GET";
  r.path = "/wfs";
  r.query = std::move(query);
  return r;
}

template <class Call>
core::OgcError error_of(Call&& call) {
  try {
    call();
  } catch (const core::OgcError& e) {
    return e;
  }
  ADD_FAILURE() << "no OgcError";
  return core::OgcError(0, "(none)", "(none)");
}

constexpr const char* kNamespaces =
    R"( xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="http://www.opengis.net/fes/2.0")"
    R"( xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:amis="https://amis.asean.org/ns/amis")";

std::string wfs20(const std::string& root, const std::string& attributes,
                  const std::string& content) {
  return "<wfs:" + root + kNamespaces + attributes + ">" + content + "</wfs:" + root + ">";
}

const std::string kFilter =
    "<fes:Filter><fes:And>"
    "<fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference><fes:Literal>IDN</"
    "fes:Literal>"
    "</fes:PropertyIsEqualTo>"
    "<fes:BBOX><fes:ValueReference>geometry</fes:ValueReference>"
    R"(<gml:Envelope srsName="EPSG:4326"><gml:lowerCorner>95 -11</gml:lowerCorner>)"
    "<gml:upperCorner>141 6</gml:upperCorner></gml:Envelope></fes:BBOX>"
    "</fes:And></fes:Filter>";

std::string filter_tree(const std::string& filter) {
  const auto collection = amis::testing::mines_collection();
  const auto f = query::parse_fes_filter_text(filter, {collection, core::SrsName{}});
  return f.expression ? core::to_debug_string(*f.expression) : "(no expression)";
}

}  // namespace

// ---------------------------------------------------------------- KVP

TEST(WfsKvp, ParameterNamesAreCaseInsensitive) {
  const auto r = parse_kvp_request(kvp({{"service", "WFS"},
                                        {"Request", "GetFeature"},
                                        {"VERSION", "2.0.0"},
                                        {"typeNames", "amis:mines"},
                                        {"Count", "5"},
                                        {"startindex", "10"},
                                        {"SortBy", "name DESC"},
                                        {"srsname", "EPSG:4326"},
                                        {"bbox", "1,2,3,4"},
                                        {"outputformat", "application/json"},
                                        {"RESULTTYPE", "hits"},
                                        {"resourceId", "mines.1,mines.2"}}));
  EXPECT_FALSE(r.xml);
  EXPECT_EQ(r.service, "WFS");
  EXPECT_EQ(r.operation, "GetFeature");
  EXPECT_EQ(r.version, "2.0.0");
  EXPECT_EQ(r.type_names, Strings{"amis:mines"});
  EXPECT_EQ(r.count, "5");
  EXPECT_EQ(r.start_index, "10");
  EXPECT_EQ(r.sortby, "name DESC");
  EXPECT_EQ(r.srs_name, "EPSG:4326");
  EXPECT_EQ(r.bbox, "1,2,3,4");
  EXPECT_EQ(r.output_format, "application/json");
  EXPECT_EQ(r.result_type, "hits");
  EXPECT_EQ(r.resource_id, "mines.1,mines.2");
}

TEST(WfsKvp, Wfs11SpellingsFillTheSameFields) {
  const auto r = parse_kvp_request(
      kvp({{"TYPENAME", "amis:mines"}, {"MAXFEATURES", "3"}, {"FEATUREID", "mines.4"}}));
  EXPECT_EQ(r.type_names, Strings{"amis:mines"});
  EXPECT_EQ(r.count, "3");
  EXPECT_EQ(r.resource_id, "mines.4");
}

TEST(WfsKvp, AbsentPagingParametersStayAbsent) {
  const auto r = parse_kvp_request(kvp({{"REQUEST", "GetFeature"}}));
  EXPECT_FALSE(r.count);
  EXPECT_FALSE(r.start_index);
}

TEST(WfsKvp, ParametersGivenTwiceAreRejected) {
  const auto e = error_of([] { parse_kvp_request(kvp({{"count", "1"}, {"COUNT", "2"}})); });
  EXPECT_EQ(e.code(), "InvalidParameterValue");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.locator(), "COUNT");
  EXPECT_THROW(parse_kvp_request(kvp({{"typeNames", "a"}, {"TYPENAMES", "b"}})),
               core::InvalidParameter);
}

TEST(WfsKvp, RepeatsAndAliasesThatAgreeCountOnce) {
  // QGIS 3.22 sends TYPENAMES and TYPENAME with the same value.
  const auto r = parse_kvp_request(kvp({{"TYPENAMES", "amis:a,amis:b"}, {"TYPENAME", "amis:a,amis:b"},
                                        {"count", "5"}, {"MAXFEATURES", "5"}, {"COUNT", "5"}}));
  EXPECT_EQ(r.type_names, (Strings{"amis:a", "amis:b"}));
  EXPECT_EQ(r.count, "5");
  const auto e = error_of([] { parse_kvp_request(kvp({{"TYPENAMES", "amis:a"}, {"TYPENAME", "amis:b"}})); });
  EXPECT_EQ(e.locator(), "TYPENAME");
  EXPECT_NE(std::string(e.what()).find("'amis:a' and 'amis:b'"), std::string::npos) << e.what();
}

TEST(WfsKvp, ListsDropTheParenthesesOfPerTypeGroups) {
  const auto r = parse_kvp_request(
      kvp({{"TYPENAMES", "amis:mines,amis:countries"}, {"PROPERTYNAME", "(name,iso3)(capacity)"}}));
  EXPECT_EQ(r.type_names, (Strings{"amis:mines", "amis:countries"}));
  EXPECT_EQ(r.property_names, (Strings{"name", "iso3", "capacity"}));
  EXPECT_EQ(parse_kvp_request(kvp({{"PROPERTYNAME", "name, iso3"}})).property_names,
            (Strings{"name", "iso3"}));
}

TEST(WfsKvp, StoredQueriesAndTheirIds) {
  const auto r =
      parse_kvp_request(kvp({{"STOREDQUERY_ID", api::wfs::kGetFeatureById}, {"ID", "mines.2"}}));
  EXPECT_EQ(r.stored_query_id, api::wfs::kGetFeatureById);
  EXPECT_EQ(r.id, "mines.2");
  EXPECT_EQ(parse_kvp_request(kvp({{"STOREDQUERY_IDS", "a,b"}})).stored_query_ids,
            (Strings{"a", "b"}));
}

TEST(WfsKvp, NamespacesGiveThePrefixesBoundToTheAmisNamespace) {
  EXPECT_EQ(parse_kvp_request(
                kvp({{"NAMESPACES",
                      "xmlns(m,https://amis.asean.org/ns/amis),xmlns(x,http://example.com)"}}))
                .amis_prefixes,
            Strings{"m"});
  EXPECT_EQ(parse_kvp_request(kvp({{"namespaces", "xmlns(m=https://amis.asean.org/ns/amis)"}}))
                .amis_prefixes,
            Strings{"m"});  // the WFS 1.1 spelling
  EXPECT_TRUE(parse_kvp_request(kvp({{"NAMESPACES", "xmlns(x,http://example.com)"}}))
                  .amis_prefixes.empty());
}

TEST(WfsKvp, OtherParametersAreIgnoredAsOwsCommonAsks) {
  const auto r =
      parse_kvp_request(kvp({{"REQUEST", "GetFeature"},
                             {"NAMESPACES", "xmlns(amis,https://amis.asean.org/ns/amis)"},
                             {"FILTER_LANGUAGE", "urn:ogc:def:query Language:OGC-FES:Filter"},
                             {"vendor", "x"}}));
  EXPECT_EQ(r.operation, "GetFeature");
}

// ---------------------------------------------------------------- XML

TEST(WfsXml, GetFeatureQueryFillsTheKvpFields) {
  const std::string body = wfs20(
      "GetFeature",
      R"( service="WFS" version="2.0.0" count="10" startIndex="5" resultType="results" outputFormat="application/json")",
      R"(<wfs:Query typeNames="amis:mines" srsName="EPSG:4326">)"
      "<wfs:PropertyName>name</wfs:PropertyName><wfs:PropertyName> capacity </wfs:PropertyName>" +
          kFilter +
          "<fes:SortBy><fes:SortProperty><fes:ValueReference>capacity</fes:ValueReference>"
          "<fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty>"
          "<fes:SortProperty><fes:ValueReference>name</fes:ValueReference></fes:SortProperty></"
          "fes:SortBy>"
          "</wfs:Query>");
  const auto r = parse_xml_request(body);
  EXPECT_TRUE(r.xml);
  EXPECT_EQ(r.operation, "GetFeature");
  EXPECT_EQ(r.service, "WFS");
  EXPECT_EQ(r.version, "2.0.0");
  EXPECT_EQ(r.count, "10");
  EXPECT_EQ(r.start_index, "5");
  EXPECT_EQ(r.result_type, "results");
  EXPECT_EQ(r.output_format, "application/json");
  EXPECT_EQ(r.type_names, Strings{"amis:mines"});
  EXPECT_EQ(r.srs_name, "EPSG:4326");
  EXPECT_EQ(r.property_names, (Strings{"name", "capacity"}));
  EXPECT_EQ(r.sortby, "capacity DESC,name");
  // The filter travels as text without the namespace declarations of the root:
  // it must still read as the same filter.
  ASSERT_FALSE(r.filter.empty());
  EXPECT_EQ(
      filter_tree(r.filter),
      filter_tree(
          R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2">)" +
          kFilter.substr(std::string("<fes:Filter>").size())));
}

TEST(WfsXml, PrefixesDeclaredForTheAmisNamespaceAreCollected) {
  const auto r = parse_xml_request(
      R"(<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs/2.0" service="WFS" version="2.0.0">)"
      R"(<wfs:Query typeNames="m:mines" xmlns:m="https://amis.asean.org/ns/amis" xmlns:x="http://example.com"/>)"
      "</wfs:GetFeature>");
  EXPECT_EQ(r.amis_prefixes, Strings{"m"});
  EXPECT_EQ(r.type_names, Strings{"m:mines"});
}

TEST(WfsXml, OneQueryPerRequest) {
  const std::string query = R"(<wfs:Query typeNames="amis:mines"/>)";
  const auto e = error_of([&] {
    parse_xml_request(wfs20("GetFeature", R"( service="WFS" version="2.0.0")", query + query));
  });
  EXPECT_EQ(e.code(), "OptionNotSupported");
  EXPECT_EQ(e.status(), 400);
  EXPECT_EQ(e.locator(), "Query");
}

TEST(WfsXml, StoredQueryGetFeatureById) {
  const auto r = parse_xml_request(wfs20(
      "GetFeature", R"( service="WFS" version="2.0.0")",
      R"(<wfs:StoredQuery id="urn:ogc:def:query:OGC-WFS::GetFeatureById"><wfs:Parameter name="ID"> mines.2 </wfs:Parameter>)"
      "</wfs:StoredQuery>"));
  EXPECT_EQ(r.stored_query_id, api::wfs::kGetFeatureById);
  EXPECT_EQ(r.id, "mines.2");
}

TEST(WfsXml, GetPropertyValueTakesItsValueReference) {
  const auto r = parse_xml_request(wfs20("GetPropertyValue",
                                         R"( service="WFS" version="2.0.0" valueReference="name")",
                                         R"(<wfs:Query typeNames="amis:mines"/>)"));
  EXPECT_EQ(r.operation, "GetPropertyValue");
  EXPECT_EQ(r.value_reference, "name");
  EXPECT_EQ(r.type_names, Strings{"amis:mines"});
}

TEST(WfsXml, DescribeFeatureTypeListsItsTypeNames) {
  const auto r = parse_xml_request(
      wfs20("DescribeFeatureType", R"( service="WFS" version="2.0.0")",
            "<wfs:TypeName>amis:mines</wfs:TypeName><wfs:TypeName> amis:countries "
            "</wfs:TypeName>"));
  EXPECT_EQ(r.operation, "DescribeFeatureType");
  EXPECT_EQ(r.type_names, (Strings{"amis:mines", "amis:countries"}));
}

TEST(WfsXml, GetCapabilitiesAcceptVersions) {
  const auto r = parse_xml_request(
      R"(<wfs:GetCapabilities xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1" service="WFS">)"
      "<ows:AcceptVersions><ows:Version>2.0.0</ows:Version><ows:Version>1.1.0</ows:Version></"
      "ows:AcceptVersions>"
      "</wfs:GetCapabilities>");
  EXPECT_EQ(r.operation, "GetCapabilities");
  EXPECT_EQ(r.accept_versions, "2.0.0,1.1.0");
}

TEST(WfsXml, DescribeStoredQueriesListsItsIds) {
  const auto r = parse_xml_request(
      wfs20("DescribeStoredQueries", R"( service="WFS" version="2.0.0")",
            "<wfs:StoredQueryId>urn:ogc:def:query:OGC-WFS::GetFeatureById</wfs:StoredQueryId>"));
  EXPECT_EQ(r.stored_query_ids, Strings{api::wfs::kGetFeatureById});
}

TEST(WfsXml, ATransactionIsReadAsItsOperationForTheServiceToRefuse) {
  const auto r = parse_xml_request(
      wfs20("Transaction", R"( service="WFS" version="2.0.0")",
            "<wfs:Insert><amis:mines><amis:name>x</amis:name></amis:mines></wfs:Insert>"));
  EXPECT_EQ(r.operation, "Transaction");
  EXPECT_TRUE(r.xml);
}

TEST(WfsXml, Wfs11GetFeature) {
  const auto r = parse_xml_request(
      R"(<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs" xmlns:ogc="http://www.opengis.net/ogc")"
      R"( service="WFS" version="1.1.0" maxFeatures="7"><wfs:Query typeName="amis:mines">)"
      "<ogc:PropertyName>name</ogc:PropertyName>"
      "<ogc:Filter><ogc:FeatureId fid=\"mines.3\"/></ogc:Filter>"
      "<ogc:SortBy><ogc:SortProperty><ogc:PropertyName>name</ogc:PropertyName><ogc:SortOrder>ASC</"
      "ogc:SortOrder>"
      "</ogc:SortProperty></ogc:SortBy></wfs:Query></wfs:GetFeature>");
  EXPECT_EQ(r.version, "1.1.0");
  EXPECT_EQ(r.count, "7");
  EXPECT_EQ(r.type_names, Strings{"amis:mines"});
  EXPECT_EQ(r.property_names, Strings{"name"});
  EXPECT_EQ(r.sortby, "name ASC");
  const auto collection = amis::testing::mines_collection();
  const auto filter = query::parse_fes_filter_text(r.filter, {collection, core::SrsName{}});
  EXPECT_EQ(filter.resource_ids, Strings{"mines.3"});
}

TEST(WfsXml, UnexpectedElementsAreParsingFailures) {
  EXPECT_THROW(
      parse_xml_request(
          wfs20("GetFeature", "", R"(<wfs:Query typeNames="amis:mines"><wfs:Foo/></wfs:Query>)")),
      core::ParsingFailed);
  EXPECT_THROW(parse_xml_request(wfs20("GetFeature", "", "<wfs:Bar/>")), core::ParsingFailed);
}

TEST(WfsXml, HostileAndMalformedDocumentsAreParsingFailures) {
  const std::string get_feature = wfs20("GetFeature", R"( service="WFS" version="2.0.0")", "");
  for (const std::string& bad :
       {std::string(
            R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)") +
            get_feature,
        std::string(
            R"(<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>)") +
            get_feature,
        std::string(), std::string("GetFeature"), get_feature.substr(0, get_feature.size() - 3),
        wfs20("GetFeature", "", std::string(query::kMaxXmlBytes, ' '))}) {
    const auto e = error_of([&] { parse_xml_request(bad); });
    EXPECT_EQ(e.code(), "OperationParsingFailed") << bad.substr(0, 80);
    EXPECT_EQ(e.locator(), "request") << bad.substr(0, 80);
  }
}
