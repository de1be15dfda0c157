#include "tiles/tile_cache.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using amis::tiles::TileCache;
using amis::tiles::tile_key;

namespace {

class TileCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("amis-tile-cache-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TileCacheTest, KeysNameTheTileAndTheDataVersion) {
  const auto a = tile_key("mvt", "WebMercatorQuad", "mines@2026-01-01T00:00:00.000Z;", 4, 7, 12, "mvt");
  const auto b = tile_key("mvt", "WebMercatorQuad", "mines@2026-01-01T00:00:00.001Z;", 4, 7, 12, "mvt");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("mvt/WebMercatorQuad/"));
  EXPECT_TRUE(a.ends_with("/4/7/12.mvt"));
  EXPECT_EQ(a, tile_key("mvt", "WebMercatorQuad", "mines@2026-01-01T00:00:00.000Z;", 4, 7, 12, "mvt"));
}

TEST_F(TileCacheTest, KeepsTilesAcrossRestarts) {
  {
    TileCache cache(dir_, 1 << 20);
    EXPECT_FALSE(cache.get("map/x/1/2/3.png"));
    cache.put("map/x/1/2/3.png", "tile bytes");
    EXPECT_EQ(cache.get("map/x/1/2/3.png").value_or(""), "tile bytes");
    cache.put("map/x/1/2/3.png", "new bytes");
    EXPECT_EQ(cache.get("map/x/1/2/3.png").value_or(""), "new bytes");
    EXPECT_EQ(cache.size_bytes(), 9u);
  }
  std::ofstream(dir_ / "map" / "x" / "1" / "2" / ".tmp7") << "half a tile";
  TileCache reopened(dir_, 1 << 20);
  EXPECT_EQ(reopened.tiles(), 1u);
  EXPECT_EQ(reopened.get("map/x/1/2/3.png").value_or(""), "new bytes");
  EXPECT_FALSE(fs::exists(dir_ / "map" / "x" / "1" / "2" / ".tmp7"));
}

TEST_F(TileCacheTest, EvictsTheLeastRecentlyUsedBeyondItsBound) {
  TileCache cache(dir_, 1000);
  const std::string hundred(100, 'x');
  for (int i = 0; i < 9; ++i) cache.put("t/" + std::to_string(i), hundred);
  EXPECT_EQ(cache.size_bytes(), 900u);
  ASSERT_TRUE(cache.get("t/0"));  // now the most recently used
  cache.put("t/9", hundred);
  cache.put("t/10", hundred);  // 1100 > 1000: down to 900
  EXPECT_LE(cache.size_bytes(), 900u);
  EXPECT_TRUE(cache.get("t/0"));
  EXPECT_TRUE(cache.get("t/10"));
  EXPECT_FALSE(cache.get("t/1"));
  EXPECT_FALSE(cache.get("t/2"));
  EXPECT_FALSE(fs::exists(dir_ / "t" / "1"));
  std::uintmax_t on_disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_))
    if (e.is_regular_file()) on_disk += e.file_size();
  EXPECT_EQ(on_disk, cache.size_bytes());
}

TEST_F(TileCacheTest, RefusesTilesLargerThanTheWholeCache) {
  TileCache cache(dir_, 10);
  cache.put("big", std::string(11, 'x'));
  EXPECT_FALSE(cache.get("big"));
  EXPECT_EQ(cache.size_bytes(), 0u);
}

}  // namespace
