#include "api/features/items_request.hpp"

#include <gtest/gtest.h>

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

TEST(ItemsRequest, QueryablesBecomeFiltersAndUnknownParametersAreRejected) {
  const auto c = amis::testing::mines_collection();
  const auto q = parse_items_request(request_with({{"iso3", "IDN"}, {"f", "json"}}), c, {});
  ASSERT_EQ(q.equals.size(), 1u);
  EXPECT_EQ(q.equals[0].property, "iso3");
  EXPECT_EQ(q.equals[0].value, "IDN");
  EXPECT_THROW(parse_items_request(request_with({{"colour", "red"}}), c, {}), core::UnknownParameter);
}
