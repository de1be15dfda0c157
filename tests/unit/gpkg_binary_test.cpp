#include "store/gpkg/gpkg_binary.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "core/wkb.hpp"

using namespace amis::store::gpkg;

namespace {
// POINT (104.5 14.25), little-endian ISO WKB.
std::vector<std::uint8_t> point_wkb() {
  std::vector<std::uint8_t> wkb(21, 0);
  wkb[0] = 1;  // little-endian
  wkb[1] = 1;  // Point
  const double xy[2] = {104.5, 14.25};
  std::memcpy(wkb.data() + 5, xy, sizeof xy);
  return wkb;
}
}  // namespace

TEST(GpkgBinary, RoundTripsHeaderEnvelopeAndWkb) {
  std::vector<std::uint8_t> blob;
  append_gpkg_geometry(point_wkb(), 4326, blob);
  ASSERT_EQ(blob[0], 'G');
  ASSERT_EQ(blob[1], 'P');
  const auto g = parse_gpkg_geometry(blob);
  EXPECT_EQ(g.srs_id, 4326);
  EXPECT_FALSE(g.empty);
  ASSERT_TRUE(g.envelope);
  EXPECT_EQ(g.envelope->min_x, 104.5);
  EXPECT_EQ(g.envelope->max_y, 14.25);
  EXPECT_EQ(std::vector<std::uint8_t>(g.wkb.begin(), g.wkb.end()), point_wkb());
}

TEST(GpkgBinary, RejectsBlobsThatAreNotGeoPackageGeometries) {
  std::vector<std::uint8_t> junk = {'X', 'Y', 0, 0, 0, 0, 0, 0};
  EXPECT_THROW(parse_gpkg_geometry(junk), amis::core::WkbError);
  std::vector<std::uint8_t> truncated = {'G', 'P', 0, 0x03, 0, 0, 0, 0, 1, 2};  // claims an envelope
  EXPECT_THROW(parse_gpkg_geometry(truncated), amis::core::WkbError);
  std::vector<std::uint8_t> bad_indicator = {'G', 'P', 0, 0x0F, 0, 0, 0, 0};
  EXPECT_THROW(parse_gpkg_geometry(bad_indicator), amis::core::WkbError);
}
