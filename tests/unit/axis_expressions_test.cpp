// The axis expressions of coverage requests (coverage/axis_expressions.hpp).
#include "coverage/axis_expressions.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace amis::coverage {
namespace {

TEST(OgcApiSubset, ReadsTrimsOpenEndsAndSlices) {
  const auto axes = parse_ogcapi_subset("Lon(100:110.5), Lat(*:20)", "subset");
  ASSERT_EQ(axes.size(), 2u);
  EXPECT_EQ(axes[0], (AxisSubset{"Lon", 100.0, 110.5, false, ""}));
  EXPECT_EQ(axes[1].axis, "Lat");
  EXPECT_FALSE(axes[1].low);
  EXPECT_EQ(*axes[1].high, 20);
  const auto slice = parse_ogcapi_subset("Lat(-5e0)", "subset");
  EXPECT_TRUE(slice[0].slice);
  EXPECT_EQ(*slice[0].low, -5);
}

TEST(OgcApiSubset, RefusesWhatIsNotAnAxisExpression) {
  for (const char* bad : {"", "Lon", "Lon(1:2", "Lon(1:2))", "Lon(a:2)", "Lon(2:1)", "Lon(1:2:3)", "(1:2)",
                          "1x(1:2)", "Lon(*)", "Lon(nan:1)", "Lon(1:inf)", "A(1:2),B(1:2),C(1:2),D(1:2),E(1:2),"
                          "F(1:2),G(1:2),H(1:2),I(1:2)"})
    EXPECT_THROW(parse_ogcapi_subset(bad, "subset"), core::InvalidParameter) << bad;
}

TEST(WcsSubset, ReadsTrimsSlicesAndTheirCrs) {
  EXPECT_EQ(parse_wcs_subset("Long(100,110)", "subset"), (AxisSubset{"Long", 100.0, 110.0, false, ""}));
  const auto s = parse_wcs_subset("Lat,http://www.opengis.net/def/crs/EPSG/0/4326(5)", "subset");
  EXPECT_TRUE(s.slice);
  EXPECT_EQ(s.crs, "http://www.opengis.net/def/crs/EPSG/0/4326");
  EXPECT_EQ(*s.low, 5);
  for (const char* bad : {"Long(110,100)", "Long(1:2)x", "Long(1,2", "Long,(1,2)", "Long((1,2))"})
    EXPECT_THROW(parse_wcs_subset(bad, "subset"), core::InvalidParameter) << bad;
}

TEST(AxisValues, ReadsNumbersByAxis) {
  const auto v = parse_axis_values("Lon(512),Lat(2.5)", "scale-size");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1], (AxisValue{"Lat", 2.5}));
  for (const char* bad : {"Lon()", "Lon(1", "Lon(x)", "Lon(1),"})
    EXPECT_THROW(parse_axis_values(bad, "scale-size"), core::InvalidParameter) << bad;
}

}  // namespace
}  // namespace amis::coverage
