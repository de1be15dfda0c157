// A WfsRequest's strings given their types: the FeatureQuery of one feature type
// and the CRS of the response, axis order included.
#include "api/wfs/wfs_query.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/expression.hpp"
#include "test_support.hpp"

using namespace amis;
using api::wfs::type_query;
using api::wfs::WfsRequest;

namespace {

WfsRequest get_feature() {
  WfsRequest r;
  r.operation = "GetFeature";
  r.type_names = {"amis:mines"};
  return r;
}

core::FeatureQuery query_of(const WfsRequest& r, bool wfs_2_0 = true) {
  return type_query(r, amis::testing::mines_collection(), wfs_2_0).query;
}

core::Envelope bbox_of(const std::string& bbox, const std::string& srs_name = "",
                       bool wfs_2_0 = true) {
  auto r = get_feature();
  r.bbox = bbox;
  r.srs_name = srs_name;
  const auto q = query_of(r, wfs_2_0);
  EXPECT_TRUE(q.bbox) << bbox;
  return q.bbox.value_or(core::Envelope{});
}

void expect_envelope(const core::Envelope& e, double min_x, double min_y, double max_x,
                     double max_y, double tolerance = 0) {
  EXPECT_NEAR(e.min_x, min_x, tolerance);
  EXPECT_NEAR(e.min_y, min_y, tolerance);
  EXPECT_NEAR(e.max_x, max_x, tolerance);
  EXPECT_NEAR(e.max_y, max_y, tolerance);
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

// The error type_query refuses `r` with.
core::OgcError error_for(const WfsRequest& r) {
  return error_of([&] { query_of(r); });
}

}  // namespace

// ---------------------------------------------------------------- BBOX and axis order

TEST(WfsBbox, WithoutACrsTheDefaultLatitudeFirstOrderApplies) {
  expect_envelope(bbox_of("14,104,15,105"), 104, 14, 105, 15);
  // WFS 1.1.0: urn:x-ogc:def:crs:EPSG:4326
  expect_envelope(bbox_of("14,104,15,105", "", /*wfs_2_0=*/false), 104, 14, 105, 15);
}

TEST(WfsBbox, EpsgColon4326AndCrs84AreLongitudeFirst) {
  for (const char* crs : {"EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84",
                          "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                          "http://www.opengis.net/gml/srs/epsg.xml#4326"})
    expect_envelope(bbox_of(std::string("104,14,105,15,") + crs), 104, 14, 105, 15);
}

TEST(WfsBbox, UrnAndHttpEpsg4326AreLatitudeFirst) {
  for (const char* crs : {"urn:ogc:def:crs:EPSG::4326", "urn:x-ogc:def:crs:EPSG:4326",
                          "http://www.opengis.net/def/crs/EPSG/0/4326"})
    expect_envelope(bbox_of(std::string("14,104,15,105,") + crs), 104, 14, 105, 15);
}

TEST(WfsBbox, WithoutACrsTheQuerySrsNameApplies) {
  expect_envelope(bbox_of("104,14,105,15", "EPSG:4326"), 104, 14, 105, 15);
  expect_envelope(bbox_of("104,14,105,15", "urn:ogc:def:crs:OGC:1.3:CRS84"), 104, 14, 105, 15);
  // Its own CRS wins over the query's.
  expect_envelope(bbox_of("14,104,15,105,urn:ogc:def:crs:EPSG::4326", "EPSG:4326"), 104, 14, 105,
                  15);
}

TEST(WfsBbox, AProjectedBboxIsTransformedToCrs84) {
  expect_envelope(
      bbox_of("11577227.042500451,1574216.5481614638,11688546.533293726,1689200.1396078924,"
              "urn:ogc:def:crs:EPSG::3857"),
      104, 14, 105, 15, 1e-7);
}

TEST(WfsBbox, MalformedBoxesAreInvalidBboxValues) {
  for (const char* bad :
       {"1,2,3", "1,2,3,4,5,6", "a,b,c,d", "15,104,14,105", "nan,1,2,3", "1,2,3,4,EPSG:nope"}) {
    auto r = get_feature();
    r.bbox = bad;
    const auto e = error_for(r);
    EXPECT_EQ(e.code(), "InvalidParameterValue") << bad;
    EXPECT_EQ(e.locator(), "bbox") << bad;
  }
}

// ---------------------------------------------------------------- srsName

TEST(WfsSrsName, TheFormOfTheNameGivesTheAxisOrder) {
  auto r = get_feature();
  const auto default_2_0 = type_query(r, amis::testing::mines_collection(), true).srs;
  EXPECT_EQ(default_2_0.crs, core::Crs{4326});
  EXPECT_FALSE(default_2_0.east_north);
  EXPECT_EQ(default_2_0.text, "urn:ogc:def:crs:EPSG::4326");

  r.srs_name = "EPSG:4326";
  const auto short_form = type_query(r, amis::testing::mines_collection(), true).srs;
  EXPECT_TRUE(short_form.crs.is_crs84());
  EXPECT_TRUE(short_form.east_north);
  EXPECT_EQ(short_form.text, "EPSG:4326");

  r.srs_name = "urn:ogc:def:crs:EPSG::32648";
  EXPECT_EQ(type_query(r, amis::testing::mines_collection(), true).srs.crs, core::Crs{32648});
}

TEST(WfsSrsName, UnknownCrsIsAnInvalidSrsNameValue) {
  for (const char* bad :
       {"EPSG:abc", "urn:ogc:def:crs:EPSG::", "4326", "urn:ogc:def:crs:EPSG::999999"}) {
    auto r = get_feature();
    r.srs_name = bad;
    const auto e = error_for(r);
    EXPECT_EQ(e.code(), "InvalidParameterValue") << bad;
    EXPECT_EQ(e.locator(), "srsName") << bad;
  }
}

// ---------------------------------------------------------------- paging

TEST(WfsPaging, WithoutCountEveryFeatureIsReturnedUnpaged) {
  const auto w = type_query(get_feature(), amis::testing::mines_collection(), true);
  EXPECT_EQ(w.query.limit, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(w.query.offset, 0);
  EXPECT_FALSE(w.paged);
  EXPECT_EQ(w.query.collection, "mines");
}

TEST(WfsPaging, CountAndStartIndex) {
  auto r = get_feature();
  r.count = "25";
  r.start_index = "50";
  const auto w = type_query(r, amis::testing::mines_collection(), true);
  EXPECT_EQ(w.query.limit, 25);
  EXPECT_EQ(w.query.offset, 50);
  EXPECT_TRUE(w.paged);
}

TEST(WfsPaging, CountAndStartIndexMustBeNonNegativeIntegers) {
  for (const char* bad : {"-1", "abc", "1.5", "", " 5", "5 ", "99999999999999999999"}) {
    auto r = get_feature();
    r.count = bad;
    EXPECT_EQ(error_for(r).locator(), "count") << bad;
    r.count.reset();
    r.start_index = bad;
    EXPECT_EQ(error_for(r).locator(), "startIndex") << bad;
  }
}

// ---------------------------------------------------------------- sortBy and propertyName

TEST(WfsSortBy, PropertiesWithAscOrDesc) {
  auto r = get_feature();
  r.sortby = "name ASC,capacity DESC, amis:iso3,opened D";
  const auto q = query_of(r);
  ASSERT_EQ(q.sortby.size(), 4u);
  EXPECT_EQ(q.sortby[0].property, "name");
  EXPECT_FALSE(q.sortby[0].descending);
  EXPECT_EQ(q.sortby[1].property, "capacity");
  EXPECT_TRUE(q.sortby[1].descending);
  EXPECT_EQ(q.sortby[2].property, "iso3");
  EXPECT_FALSE(q.sortby[2].descending);
  EXPECT_EQ(q.sortby[3].property, "opened");
  EXPECT_TRUE(q.sortby[3].descending);  // WFS 1.1's D
}

TEST(WfsSortBy, UnknownPropertiesOrdersAndTheGeometryAreRefused) {
  for (const char* bad :
       {"name DOWN", "colour ASC", "geometry ASC", "name ASC DESC", "name,", "//name DESC"}) {
    auto r = get_feature();
    r.sortby = bad;
    const auto e = error_for(r);
    EXPECT_EQ(e.code(), "InvalidParameterValue") << bad;
    EXPECT_EQ(e.locator(), "sortBy") << bad;
  }
}

TEST(WfsPropertyName, NamesResolveAndTheGeometryIsAlwaysReturned) {
  auto r = get_feature();
  r.property_names = {"name", "geometry", "amis:capacity"};
  const auto q = query_of(r);
  ASSERT_TRUE(q.properties);
  EXPECT_EQ(*q.properties, (std::vector<std::string>{"name", "capacity"}));
  r.property_names = {"name", "colour"};
  EXPECT_EQ(error_for(r).locator(), "propertyName");
  r.property_names = {"*"};
  EXPECT_FALSE(query_of(r).properties);  // every property
}

// ---------------------------------------------------------------- resource ids and filters

TEST(WfsResourceId, IdsOfThisTypeBecomeFeatureIds) {
  auto r = get_feature();
  r.resource_id = "mines.1,mines.3,countries.2,mines.x";
  const auto q = query_of(r);
  ASSERT_TRUE(q.ids);
  EXPECT_EQ(*q.ids, (std::vector<std::int64_t>{1, 3}));
}

TEST(WfsResourceId, FesResourceIdsToo) {
  auto r = get_feature();
  r.filter =
      R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="mines.2"/>)"
      R"(<fes:ResourceId rid="mines.5"/></fes:Filter>)";
  const auto q = query_of(r);
  ASSERT_TRUE(q.ids);
  EXPECT_EQ(*q.ids, (std::vector<std::int64_t>{2, 5}));
  EXPECT_FALSE(q.filter);
}

TEST(WfsResourceId, ExcludesFilter) {
  auto r = get_feature();
  r.resource_id = "mines.1";
  r.filter =
      R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="mines.2"/></fes:Filter>)";
  EXPECT_EQ(error_for(r).locator(), "filter");
}

TEST(WfsBbox, ExcludesFilterAndResourceId) {
  auto r = get_feature();
  r.bbox = "14,104,15,105";
  r.resource_id = "mines.1";
  EXPECT_EQ(error_for(r).locator(), "bbox");
  r.resource_id.clear();
  r.filter =
      R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="mines.2"/></fes:Filter>)";
  EXPECT_EQ(error_for(r).locator(), "bbox");
}

TEST(WfsFilter, FilterGeometriesWithoutSrsNameAreInTheQuerySrs) {
  const std::string filter =
      R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"><fes:BBOX>)"
      "<fes:ValueReference>geometry</fes:ValueReference><gml:Envelope><gml:lowerCorner>14 "
      "104</gml:lowerCorner>"
      "<gml:upperCorner>15 105</gml:upperCorner></gml:Envelope></fes:BBOX></fes:Filter>";
  auto r = get_feature();
  r.filter = filter;
  const auto q = query_of(r);  // the default srsName, latitude first
  ASSERT_TRUE(q.filter);
  ASSERT_EQ(q.filter->args.size(), 2u) << core::to_debug_string(*q.filter);
  expect_envelope(q.filter->args[1].envelope, 104, 14, 105, 15, 1e-7);

  r.srs_name = "EPSG:4326";  // longitude first: the same numbers now put latitude at 104
  const auto e = error_for(r);
  EXPECT_EQ(e.locator(), "filter");
}

TEST(WfsFilter, MalformedFiltersAreClientErrors) {
  auto r = get_feature();
  r.filter = "<fes:Filter>";
  EXPECT_EQ(error_for(r).code(), "OperationParsingFailed");
  r.filter = R"(<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>)"
             "<fes:ValueReference>colour</fes:ValueReference><fes:Literal>red</fes:Literal>"
             "</fes:PropertyIsEqualTo></fes:Filter>";
  EXPECT_EQ(error_for(r).locator(), "filter");
}

// ---------------------------------------------------------------- names and formats

TEST(WfsNames, TypeNamesAndFeatureIds) {
  const auto c = amis::testing::mines_collection();
  const std::vector<std::string> none;
  EXPECT_EQ(api::wfs::collection_id_of("amis:mines", none), "mines");
  EXPECT_EQ(api::wfs::collection_id_of("mines", none), "mines");
  EXPECT_FALSE(api::wfs::collection_id_of("other:mines", none));
  EXPECT_FALSE(api::wfs::collection_id_of("amis:", none));
  // A prefix the request binds to the amis namespace.
  EXPECT_EQ(api::wfs::collection_id_of("m:mines", {"m"}), "mines");
  EXPECT_EQ(api::wfs::feature_id_of("mines.12", c), 12);
  EXPECT_FALSE(api::wfs::feature_id_of("countries.12", c));
  EXPECT_FALSE(api::wfs::feature_id_of("mines.12a", c));
  EXPECT_FALSE(api::wfs::feature_id_of("12", c));
}

TEST(WfsOutputFormat, SpellingsOfTheOfferedFormats) {
  using api::wfs::OutputFormat;
  using api::wfs::parse_output_format;
  EXPECT_EQ(parse_output_format("", true), OutputFormat::Gml32);
  EXPECT_EQ(parse_output_format("", false), OutputFormat::Gml311);
  EXPECT_EQ(parse_output_format("application/gml+xml; version=3.2", true), OutputFormat::Gml32);
  EXPECT_EQ(parse_output_format("text/xml; subtype=\"gml/3.1.1\"", true), OutputFormat::Gml311);
  EXPECT_EQ(parse_output_format("application/json", true), OutputFormat::GeoJson);
  EXPECT_EQ(error_of([] { parse_output_format("image/png", true); }).locator(), "outputFormat");
}
