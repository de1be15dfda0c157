// Coverage files kept open between requests (coverage/open_grids.hpp): one open
// per file while leases come one after another, one per lease held at the same
// time, afresh when the file is rewritten; values read as a fresh open reads them.
#include "coverage/open_grids.hpp"

#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_srs_api.h>

#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "coverage/point_values.hpp"

namespace amis::coverage {
namespace {

namespace fs = std::filesystem;

// A 4 x 3 Float32 grid on WGS 84 whose cell (c, r) holds base + 10 r + c.
void write_grid(const fs::path& path, float base, int width = 4) {
  GDALAllRegister();
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), width, 3, 1, GDT_Float32, nullptr);
  double t[6] = {100, 1, 0, 10, 0, -1};
  GDALSetGeoTransform(ds, t);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 4326);
  GDALSetSpatialRef(ds, srs);
  OSRDestroySpatialReference(srs);
  std::vector<float> values;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < width; ++c) values.push_back(base + 10.0f * r + c);
  EXPECT_EQ(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, width, 3, values.data(), width, 3, GDT_Float32, 0, 0),
            CE_None);
  GDALClose(ds);
}

fs::path temp_grid(const char* name) {
  return fs::temp_directory_path() / (std::string("amis_open_grids_") + name + "_" +
                                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".tif");
}

double value_at(OpenGrids& grids, const fs::path& path, double lon, double lat) {
  const auto lease = grids.lease(path);
  const auto v = values_at(lease.dataset(), path.string(), lease.info(), core::Crs{}, lon, lat);
  return v && v->values.at(0) ? *v->values[0] : -1;
}

TEST(OpenGrids, OpensAFileOnceForLeasesOneAfterAnother) {
  const auto path = temp_grid("once");
  write_grid(path, 0);
  OpenGrids grids;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(value_at(grids, path, 102.5, 8.5), 12.0);
  EXPECT_EQ(grids.opened(), 1);
  EXPECT_EQ(grids.lease(path).info().width, 4);
  fs::remove(path);
}

TEST(OpenGrids, LeasesHeldTogetherHaveTheirOwnDatasets) {
  const auto path = temp_grid("together");
  write_grid(path, 0);
  OpenGrids grids;
  {
    const auto a = grids.lease(path);
    const auto b = grids.lease(path);
    EXPECT_NE(a.dataset(), b.dataset());
  }
  EXPECT_EQ(grids.opened(), 2);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (value_at(grids, path, 100.5 + i % 4, 9.5) != i % 4) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(grids.opened(), 6);
  fs::remove(path);
}

TEST(OpenGrids, AFileRewrittenInPlaceIsOpenedAfresh) {
  const auto path = temp_grid("rewritten");
  write_grid(path, 0);
  OpenGrids grids;
  EXPECT_EQ(value_at(grids, path, 100.5, 9.5), 0.0);
  write_grid(path, 500, 5);  // another size, so another key whatever the clock's resolution
  EXPECT_EQ(value_at(grids, path, 100.5, 9.5), 500.0);
  EXPECT_EQ(grids.lease(path).info().width, 5);
  EXPECT_EQ(grids.opened(), 2);
  fs::remove(path);
  EXPECT_THROW(grids.lease(path), core::ServerError);
}

TEST(OpenGrids, AtMostSoManyDatasetsOfAFileAreOpenAndTheRestWait) {
  const auto path = temp_grid("capped");
  write_grid(path, 0);
  OpenGrids grids(16, 2);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (value_at(grids, path, 100.5 + i % 4, 9.5) != i % 4) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(grids.opened(), 2) << "six threads at once opened more than two datasets of one file";
  fs::remove(path);
}

}  // namespace
}  // namespace amis::coverage
