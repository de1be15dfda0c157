// The tile matrix sets against the tables of OGC 17-083r4 (2D Tile Matrix Set),
// annex D: scale denominators, matrix sizes and tile bounds.
#include "tiles/tile_matrix_set.hpp"

#include <gtest/gtest.h>

using amis::tiles::TileAddress;

namespace {

const amis::tiles::TileMatrixSet& set(const char* id) {
  const auto* s = amis::tiles::find_tile_matrix_set(id);
  EXPECT_NE(s, nullptr) << id;
  return *s;
}

TEST(TileMatrixSet, WebMercatorQuadFollowsTheStandardTable) {
  const auto& s = set("WebMercatorQuad");
  EXPECT_EQ(s.crs.epsg, 3857);
  // 17-083r4 Table D.1: level 0 and level 18.
  EXPECT_NEAR(s.matrix(0).scale_denominator, 559082264.0287178, 1e-5);
  EXPECT_NEAR(s.matrix(0).cell_size, 156543.0339280410, 1e-9);
  EXPECT_NEAR(s.matrix(18).scale_denominator, 2132.729583849784, 1e-9);
  EXPECT_EQ(s.matrix(18).matrix_width, 262144);
  EXPECT_EQ(s.matrix(18).matrix_height, 262144);
  EXPECT_EQ(s.max_level, 24);
}

TEST(TileMatrixSet, WorldCrs84QuadFollowsTheStandardTable) {
  const auto& s = set("WorldCRS84Quad");
  EXPECT_TRUE(s.crs.is_crs84());
  // 17-083r4 Table D.2: level 0 is two tiles of 0.703125 degrees per pixel.
  EXPECT_NEAR(s.matrix(0).cell_size, 0.703125, 1e-12);
  EXPECT_NEAR(s.matrix(0).scale_denominator, 279541132.0143589, 1e-3);
  EXPECT_EQ(s.matrix(0).matrix_width, 2);
  EXPECT_EQ(s.matrix(0).matrix_height, 1);
  EXPECT_EQ(s.matrix(5).matrix_width, 64);
  EXPECT_EQ(s.matrix(5).matrix_height, 32);
}

TEST(TileMatrixSet, TileBoundsStartAtTheTopLeft) {
  const auto& web = set("WebMercatorQuad");
  const auto b = amis::tiles::tile_bounds(web, TileAddress{1, 0, 1});  // north-east quarter
  EXPECT_NEAR(b.min_x, 0, 1e-6);
  EXPECT_NEAR(b.min_y, 0, 1e-6);
  EXPECT_NEAR(b.max_x, 20037508.3427892, 1e-6);
  EXPECT_NEAR(b.max_y, 20037508.3427892, 1e-6);
  const auto& geo = set("WorldCRS84Quad");
  const auto e = amis::tiles::tile_bounds(geo, TileAddress{0, 0, 1});
  EXPECT_DOUBLE_EQ(e.min_x, 0);
  EXPECT_DOUBLE_EQ(e.max_x, 180);
  EXPECT_DOUBLE_EQ(e.min_y, -90);
  EXPECT_DOUBLE_EQ(e.max_y, 90);
  const auto f = amis::tiles::tile_bounds(geo, TileAddress{3, 5, 14});
  EXPECT_DOUBLE_EQ(f.min_x, -180 + 14 * 22.5);
  EXPECT_DOUBLE_EQ(f.max_y, 90 - 5 * 22.5);
}

TEST(TileMatrixSet, ContainsOnlyTilesOfTheMatrix) {
  const auto& web = set("WebMercatorQuad");
  EXPECT_TRUE(amis::tiles::contains(web, {0, 0, 0}));
  EXPECT_FALSE(amis::tiles::contains(web, {0, 0, 1}));
  EXPECT_FALSE(amis::tiles::contains(web, {3, 8, 0}));
  EXPECT_FALSE(amis::tiles::contains(web, {3, -1, 0}));
  EXPECT_FALSE(amis::tiles::contains(web, {25, 0, 0}));
  EXPECT_FALSE(amis::tiles::contains(web, {-1, 0, 0}));
  EXPECT_TRUE(amis::tiles::contains(set("WorldCRS84Quad"), {0, 0, 1}));
  EXPECT_EQ(amis::tiles::find_tile_matrix_set("GoogleMapsCompatible"), nullptr);
}

}  // namespace
