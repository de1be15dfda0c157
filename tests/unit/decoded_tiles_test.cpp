// The process's decoded tiles (coverage/decoded_tiles.hpp): a window read from them
// is what GDAL's RasterIO reads (the oracle), at every offset across tile edges, for
// several bands; a tile is decoded once for every dataset of a grid; the budget holds.
#include "coverage/decoded_tiles.hpp"

#include <gdal.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <random>
#include <vector>

namespace amis::coverage {
namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 70, kHeight = 45, kBlock = 16;

// A tiled (16 x 16) GeoTIFF of `bands` bands of `type` whose values come from a fixed seed.
fs::path write_tiled(const char* name, int bands, GDALDataType type) {
  GDALAllRegister();
  // The process id in the name: the ci and fuzz builds' tests may run at once.
  const fs::path path = fs::temp_directory_path() /
                        (std::string("amis_decoded_tiles_") + name + "_" + std::to_string(::getpid()) + ".tif");
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=DEFLATE", nullptr};
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), kWidth, kHeight, bands, type,
                               const_cast<char**>(options));
  std::mt19937 random(20261206);
  std::uniform_real_distribution<double> value(-1000, 1000);
  for (int b = 1; b <= bands; ++b) {
    std::vector<double> values(kWidth * kHeight);
    for (auto& v : values) v = value(random);
    EXPECT_EQ(GDALRasterIO(GDALGetRasterBand(ds, b), GF_Write, 0, 0, kWidth, kHeight, values.data(), kWidth, kHeight,
                           GDT_Float64, 0, 0),
              CE_None);
  }
  GDALClose(ds);
  return path;
}

std::vector<unsigned char> raster_io(GDALDatasetH ds, std::vector<int> bands, int x, int y, int w, int h) {
  const GDALDataType type = GDALGetRasterDataType(GDALGetRasterBand(ds, bands.front()));
  std::vector<unsigned char> out(static_cast<std::size_t>(w) * h * bands.size() * GDALGetDataTypeSizeBytes(type));
  EXPECT_EQ(GDALDatasetRasterIO(ds, GF_Read, x, y, w, h, out.data(), w, h, type, static_cast<int>(bands.size()),
                                bands.data(), 0, 0, 0),
            CE_None);
  return out;
}

std::vector<unsigned char> from_tiles(const std::string& grid, GDALDatasetH ds, const std::vector<int>& bands, int x,
                                      int y, int w, int h) {
  const GDALDataType type = GDALGetRasterDataType(GDALGetRasterBand(ds, bands.front()));
  std::vector<unsigned char> out(static_cast<std::size_t>(w) * h * bands.size() * GDALGetDataTypeSizeBytes(type));
  EXPECT_TRUE(read_window_from_tiles(grid, ds, bands, x, y, w, h, out.data()));
  return out;
}

TEST(DecodedTiles, AWindowIsWhatRasterIoReadsAcrossTileEdges) {
  for (const GDALDataType type : {GDT_Float32, GDT_Int16, GDT_Byte, GDT_Float64}) {
    const auto path = write_tiled(GDALGetDataTypeName(type), 3, type);
    GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
    const std::string grid = path.string() + GDALGetDataTypeName(type);
    for (const auto& [x, y, w, h] : std::vector<std::array<int, 4>>{
             {0, 0, kWidth, kHeight}, {0, 0, 1, 1}, {15, 15, 2, 2}, {16, 16, 16, 16}, {5, 7, 40, 30},
             {kWidth - 1, kHeight - 1, 1, 1}, {33, 0, kWidth - 33, 9}, {17, 31, 1, 14}}) {
      for (const std::vector<int>& bands : {std::vector<int>{1}, {3, 1}, {1, 2, 3}}) {
        SCOPED_TRACE(std::string(GDALGetDataTypeName(type)) + " window " + std::to_string(x) + "," +
                     std::to_string(y) + " " + std::to_string(w) + "x" + std::to_string(h) + ", " +
                     std::to_string(bands.size()) + " bands");
        EXPECT_EQ(from_tiles(grid, ds, bands, x, y, w, h), raster_io(ds, bands, x, y, w, h));
      }
    }
    GDALClose(ds);
    fs::remove(path);
  }
}

TEST(DecodedTiles, BandsOfDifferentTypesAreLeftToRasterIo) {
  GDALAllRegister();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("MEM"), "", 8, 8, 0, GDT_Byte, nullptr);
  GDALAddBand(ds, GDT_Byte, nullptr);
  GDALAddBand(ds, GDT_Float32, nullptr);
  std::vector<unsigned char> out(8 * 8 * 2 * 4);
  EXPECT_FALSE(read_window_from_tiles("mixed", ds, {1, 2}, 0, 0, 8, 8, out.data()));
  EXPECT_TRUE(read_window_from_tiles("mixed", ds, {2}, 0, 0, 8, 8, out.data()));
  GDALClose(ds);
}

TEST(DecodedTiles, ATileIsDecodedOnceForEveryDatasetOfTheGrid) {
  const auto path = write_tiled("shared", 1, GDT_Float32);
  GDALDatasetH first = GDALOpen(path.c_str(), GA_ReadOnly);
  GDALDatasetH second = GDALOpen(path.c_str(), GA_ReadOnly);
  DecodedTiles tiles(1 << 20);
  const DecodedTile a = tiles.block("shared-grid", first, 1, 2, 1);
  const DecodedTile b = tiles.block("shared-grid", second, 1, 2, 1);
  EXPECT_EQ(a.get(), b.get());  // the second dataset got the first one's decoded tile
  EXPECT_EQ(tiles.held(), kBlock * kBlock * 4);
  // Another file under the same path (another key) is decoded anew.
  EXPECT_NE(tiles.block("shared-grid-rewritten", second, 1, 2, 1).get(), a.get());
  GDALClose(first);
  GDALClose(second);
  fs::remove(path);
}

TEST(DecodedTiles, TheLeastRecentlyUsedTilesLeaveWhenTheBudgetIsFull) {
  const auto path = write_tiled("budget", 1, GDT_Float32);
  GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
  constexpr std::int64_t tile = kBlock * kBlock * 4;
  DecodedTiles tiles(3 * tile);
  const DecodedTile first = tiles.block("g", ds, 1, 0, 0);
  tiles.block("g", ds, 1, 1, 0);
  tiles.block("g", ds, 1, 2, 0);
  tiles.block("g", ds, 1, 0, 0);  // used again: the tile (1, 0) is now the oldest
  tiles.block("g", ds, 1, 3, 0);
  EXPECT_EQ(tiles.held(), 3 * tile);
  EXPECT_EQ(tiles.block("g", ds, 1, 0, 0).get(), first.get());  // kept
  EXPECT_EQ(tiles.held(), 3 * tile);
  tiles.set_budget(tile);
  EXPECT_EQ(tiles.held(), tile);
  EXPECT_EQ(first->size(), static_cast<std::size_t>(tile));  // a tile still held by a reader stays readable
  GDALClose(ds);
  fs::remove(path);
}

TEST(DecodedTiles, AReadThatDoesNotKeepLeavesTheSharedTilesAsTheyWere) {
  const auto path = write_tiled("scan", 1, GDT_Float32);
  GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
  constexpr std::int64_t tile = kBlock * kBlock * 4;
  DecodedTiles tiles(2 * tile);
  const DecodedTile a = tiles.block("g", ds, 1, 0, 0);
  const DecodedTile b = tiles.block("g", ds, 1, 1, 0);
  // A scan over other tiles: read, not kept, nothing pushed out.
  for (int x = 2; x < 5; ++x) EXPECT_EQ(tiles.block("g", ds, 1, x, 0, false)->size(), static_cast<std::size_t>(tile));
  EXPECT_EQ(tiles.held(), 2 * tile);
  // A kept tile it meets is shared and keeps its place: (0, 0) is still the oldest.
  EXPECT_EQ(tiles.block("g", ds, 1, 0, 0, false).get(), a.get());
  tiles.block("g", ds, 1, 2, 0);
  EXPECT_NE(tiles.block("g", ds, 1, 0, 0, false).get(), a.get());  // (0, 0) left, not (1, 0)
  EXPECT_EQ(tiles.block("g", ds, 1, 1, 0, false).get(), b.get());
  // The window read without keeping is the same as RasterIO's.
  std::vector<unsigned char> scanned(static_cast<std::size_t>(kWidth) * kHeight * 4);
  decoded_tiles().set_budget(0);  // what other tests left
  decoded_tiles().set_budget(2 * tile);
  ASSERT_TRUE(read_window_from_tiles("scan-grid", ds, {1}, 0, 0, kWidth, kHeight, scanned.data(), false));
  EXPECT_EQ(scanned, raster_io(ds, {1}, 0, 0, kWidth, kHeight));
  EXPECT_EQ(decoded_tiles().held(), 0);
  decoded_tiles().set_budget(std::int64_t{256} << 20);
  GDALClose(ds);
  fs::remove(path);
}

}  // namespace
}  // namespace amis::coverage
