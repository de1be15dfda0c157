#include "api/features/items_request.hpp"

#include <gtest/gtest.h>

#include "core/crs.hpp"
#include "core/error.hpp"
#include "test_support.hpp"

using namespace amis;
using api::features::parse_bbox;
using api::features::parse_items_request;

namespace {
http::Request request_with(std::vector<std::pair<std::string, std::string>> query) {
  http::Request r;
  r.method = "GET";
  r.query = std::move(query);
  return r;
}
}  // namespace

TEST(Bbox, ParsesFourAndSixNumbers) {
  const auto b = parse_bbox("100.5,-2,120,30.25");
  EXPECT_EQ(b.min_x, 100.5);
  EXPECT_EQ(b.max_y, 30.25);
  const auto b3 = parse_bbox("100,-2,0,120,30,5000");
  EXPECT_EQ(b3.max_x, 120);
  EXPECT_EQ(b3.max_y, 30);
}

TEST(Bbox, RejectsMalformedBoxes) {
  for (const char* bad : {"", "1,2,3", "1,2,3,4,5", "a,b,c,d", "1,2,3,", "1,50,3,40", "0,-91,1,1",
                          "nan,0,1,1", "1 OR 1=1", "1,2,3,4;DROP"})
    EXPECT_THROW(parse_bbox(bad), core::InvalidParameter) << bad;
}

TEST(ItemsRequest, DefaultsAndClampsTheLimit) {
  const auto c = amis::testing::mines_collection();
  const api::features::ItemsLimits limits{10, 10000};
  EXPECT_EQ(parse_items_request(request_with({}), c, limits).limit, 10);
  EXPECT_EQ(parse_items_request(request_with({{"limit", "100000"}}), c, limits).limit, 10000);
  for (const char* bad : {"0", "-1", "abc", "1.5", ""})
    EXPECT_THROW(parse_items_request(request_with({{"limit", bad}}), c, limits), core::InvalidParameter) << bad;
  EXPECT_THROW(parse_items_request(request_with({{"offset", "-1"}}), c, limits), core::InvalidParameter);
}

TEST(ItemsRequest, DownloadsTakeALimitUpToTheDownloadCap) {
  const auto c = amis::testing::mines_collection();
  const api::features::ItemsLimits limits{10, 10000, 250000};
  for (const char* f : {"csv", "kml", "gpkg", "shapezip", "fgb", "text/csv"})
    EXPECT_EQ(parse_items_request(request_with({{"f", f}, {"limit", "100000"}}), c, limits).limit, 100000) << f;
  EXPECT_EQ(parse_items_request(request_with({{"f", "csv"}, {"limit", "9000000"}}), c, limits).limit, 250000);
  EXPECT_EQ(parse_items_request(request_with({{"f", "geojson"}, {"download", "true"}, {"limit", "100000"}}), c, limits)
                .limit,
            100000);
  // A page keeps the page limit, with or without download=false.
  EXPECT_EQ(parse_items_request(request_with({{"f", "geojson"}, {"limit", "100000"}}), c, limits).limit, 10000);
  EXPECT_EQ(parse_items_request(request_with({{"download", "false"}, {"limit", "100000"}}), c, limits).limit, 10000);
  EXPECT_THROW(parse_items_request(request_with({{"download", "yes"}}), c, limits), core::InvalidParameter);
}

TEST(ItemsRequest, QueryablesBecomeFiltersAndUnknownParametersAreRejected) {
  const auto c = amis::testing::mines_collection();
  const auto q = parse_items_request(request_with({{"iso3", "IDN"}, {"f", "json"}}), c, {});
  ASSERT_EQ(q.equals.size(), 1u);
  EXPECT_EQ(q.equals[0].property, "iso3");
  EXPECT_EQ(q.equals[0].value, "IDN");
  EXPECT_THROW(parse_items_request(request_with({{"colour", "red"}}), c, {}), core::UnknownParameter);
}

TEST(Crs, ParsesUrisAndCuriesAndRefusesTheRest) {
  EXPECT_EQ(core::parse_crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84"), core::Crs{});
  EXPECT_EQ(core::parse_crs("http://www.opengis.net/def/crs/EPSG/0/4326"), core::Crs{4326});
  EXPECT_EQ(core::parse_crs("[EPSG:32648]"), core::Crs{32648});
  for (const char* bad : {"", "EPSG:", "EPSG:-1", "http://www.opengis.net/def/crs/EPSG/0/43a", "[EPSG:4326", "CRS84"})
    EXPECT_FALSE(core::parse_crs(bad)) << bad;
  EXPECT_EQ(core::Crs{3857}.uri(), "http://www.opengis.net/def/crs/EPSG/0/3857");
}

TEST(ItemsRequest, BboxCrsIsTransformedToCrs84InItsOwnAxisOrder) {
  const auto c = amis::testing::mines_collection();
  // EPSG:4326 boxes are latitude first.
  const auto q = parse_items_request(
      request_with({{"bbox", "14,104,15,105"}, {"bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/4326"}}), c, {});
  ASSERT_TRUE(q.bbox);
  EXPECT_NEAR(q.bbox->min_x, 104, 1e-9);
  EXPECT_NEAR(q.bbox->min_y, 14, 1e-9);
  EXPECT_NEAR(q.bbox->max_x, 105, 1e-9);
  EXPECT_THROW(parse_items_request(request_with({{"crs", "nonsense"}}), c, {}), core::InvalidParameter);
}
