// A native window written front to back (coverage/geotiff_stream.hpp) through
// encode_coverage: GDAL reads the file back (the oracle) with the values RasterIO
// reads from the source, the window's georeferencing, CRS, nodata, band names,
// units and metadata, for one band, several, bands of another type (converted),
// windows across tile edges, one row, and a window of several rows of tiles; small
// answers and large ones alike; the bytes written are the size announced.
#include "coverage/geotiff_stream.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogr_srs_api.h>

#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <vector>

#include "coverage/coverage_output.hpp"

namespace amis::coverage {
namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 300, kHeight = 170;

struct Source {
  std::vector<fs::path> files;
  fs::path vrt;
  GDALDatasetH ds = nullptr;
  ~Source() {
    if (ds) GDALClose(ds);
    for (const auto& f : files) fs::remove(f);
    fs::remove(vrt);
  }
};

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("amis_geotiff_stream_" + std::to_string(::getpid()) + "_" + name);
}

// A tiled (64 x 32) GeoTIFF in UTM 48N of `bands` bands of `type`, with nodata and
// metadata; values from a fixed seed.
void write_grid(const fs::path& path, int bands, GDALDataType type, std::uint32_t seed) {
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=32", "COMPRESS=DEFLATE", nullptr};
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), kWidth, kHeight, bands, type,
                               const_cast<char**>(options));
  std::array<double, 6> t{400000, 30, 0, 1500000, 0, -30};
  GDALSetGeoTransform(ds, t.data());
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 32648);
  GDALSetSpatialRef(ds, srs);
  OSRRelease(srs);
  GDALSetMetadataItem(ds, "SOURCE", "a test of AMIS", nullptr);
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> value(-1000, 1000);
  for (int b = 1; b <= bands; ++b) {
    GDALRasterBandH band = GDALGetRasterBand(ds, b);
    std::vector<double> values(kWidth * kHeight);
    for (auto& v : values) v = value(random);
    EXPECT_EQ(GDALRasterIO(band, GF_Write, 0, 0, kWidth, kHeight, values.data(), kWidth, kHeight, GDT_Float64, 0, 0),
              CE_None);
    GDALSetRasterNoDataValue(band, -9999);
  }
  GDALClose(ds);
}

// Two Float32 bands and one Int16 band in one dataset (a VRT over three GeoTIFFs: a
// GeoTIFF's bands share one type), each band with its name, unit and metadata.
std::unique_ptr<Source> make_source() {
  GDALAllRegister();
  auto s = std::make_unique<Source>();
  s->files = {temp("a.tif"), temp("b.tif"), temp("c.tif")};
  s->vrt = temp("grid.vrt");
  write_grid(s->files[0], 1, GDT_Float32, 1);
  write_grid(s->files[1], 1, GDT_Float32, 2);
  write_grid(s->files[2], 1, GDT_Int16, 3);
  std::vector<std::string> names;
  for (const auto& f : s->files) names.push_back(f.string());
  std::vector<const char*> files;
  for (const auto& n : names) files.push_back(n.c_str());
  const char* argv[] = {"-separate", nullptr};
  GDALBuildVRTOptions* options = GDALBuildVRTOptionsNew(const_cast<char**>(argv), nullptr);
  int failed = 0;
  GDALDatasetH vrt = GDALBuildVRT(s->vrt.c_str(), 3, nullptr, files.data(), options, &failed);
  GDALBuildVRTOptionsFree(options);
  EXPECT_EQ(failed, 0);
  GDALSetMetadataItem(vrt, "SOURCE", "a test of AMIS", nullptr);
  for (int b = 1; b <= 3; ++b) {
    GDALRasterBandH band = GDALGetRasterBand(vrt, b);
    GDALSetDescription(band, ("band " + std::to_string(b)).c_str());
    GDALSetRasterUnitType(band, b == 1 ? "nT" : "mGal");
    GDALSetMetadataItem(band, "WAVELENGTH", std::to_string(b * 100).c_str(), nullptr);
  }
  GDALClose(vrt);
  s->ds = GDALOpen(s->vrt.c_str(), GA_ReadOnly);
  return s;
}

CoveragePlan window(int x, int y, int w, int h, std::vector<int> bands) {
  CoveragePlan plan;
  plan.src_x = x;
  plan.src_y = y;
  plan.src_width = plan.width = w;
  plan.src_height = plan.height = h;
  plan.bands = std::move(bands);
  return plan;
}

std::string written(const EncodedCoverage& encoded) {
  std::string bytes;
  if (!encoded.write) return std::string(encoded.bytes());
  core::StringSink sink(bytes);
  encoded.write(sink);
  EXPECT_EQ(bytes.size(), encoded.streamed_size);
  return bytes;
}

TEST(GeoTiffStream, GdalReadsTheWindowWithItsValuesAndGeoreferencing) {
  const auto made = make_source();
  const Source& source = *made;
  ASSERT_NE(source.ds, nullptr);
  // The window through a dataset of its own, as a service leases one.
  OpenGrids grids;
  const auto path = source.vrt.string();
  int case_number = 0;
  for (const auto& [x, y, w, h] : std::vector<std::array<int, 4>>{
           {0, 0, kWidth, kHeight}, {63, 31, 2, 2}, {5, 7, 200, 130}, {kWidth - 1, kHeight - 1, 1, 1},
           {10, 40, kWidth - 10, 1}, {0, 33, 1, 100}}) {
    for (const std::vector<int>& bands : {std::vector<int>{1}, {2, 1}, {1, 2, 3}, {3, 1}}) {
      SCOPED_TRACE("window " + std::to_string(x) + "," + std::to_string(y) + " " + std::to_string(w) + "x" +
                   std::to_string(h) + ", " + std::to_string(bands.size()) + " bands from " +
                   std::to_string(bands.front()));
      const auto plan = window(x, y, w, h, bands);
      const auto stream = plan_geotiff_stream(source.ds, plan);
      ASSERT_TRUE(stream.has_value());
      const auto encoded = encode_coverage(grids, path, plan, {});
      ASSERT_TRUE(static_cast<bool>(encoded.write));
      const std::string name = "/vsimem/geotiff_stream_test_" + std::to_string(++case_number) + ".tif";
      const std::string bytes = written(encoded);
      VSIFCloseL(VSIFileFromMemBuffer(name.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                                      bytes.size(), FALSE));
      GDALDatasetH out = GDALOpen(name.c_str(), GA_ReadOnly);
      ASSERT_NE(out, nullptr);
      EXPECT_EQ(GDALGetRasterXSize(out), w);
      EXPECT_EQ(GDALGetRasterYSize(out), h);
      ASSERT_EQ(GDALGetRasterCount(out), static_cast<int>(bands.size()));
      std::array<double, 6> t{};
      ASSERT_EQ(GDALGetGeoTransform(out, t.data()), CE_None);
      EXPECT_DOUBLE_EQ(t[0], 400000 + 30.0 * x);
      EXPECT_DOUBLE_EQ(t[3], 1500000 - 30.0 * y);
      EXPECT_DOUBLE_EQ(t[1], 30);
      EXPECT_DOUBLE_EQ(t[5], -30);
      EXPECT_TRUE(OSRIsSame(GDALGetSpatialRef(out), GDALGetSpatialRef(source.ds)));
      EXPECT_STREQ(GDALGetMetadataItem(out, "SOURCE", nullptr), "a test of AMIS");
      const GDALDataType type = GDALGetRasterDataType(GDALGetRasterBand(source.ds, bands.front()));
      for (std::size_t i = 0; i < bands.size(); ++i) {
        GDALRasterBandH got = GDALGetRasterBand(out, static_cast<int>(i) + 1);
        GDALRasterBandH from = GDALGetRasterBand(source.ds, bands[i]);
        EXPECT_EQ(GDALGetRasterDataType(got), type);
        EXPECT_STREQ(GDALGetDescription(got), GDALGetDescription(from));
        EXPECT_STREQ(GDALGetRasterUnitType(got), GDALGetRasterUnitType(from));
        EXPECT_STREQ(GDALGetMetadataItem(got, "WAVELENGTH", nullptr), GDALGetMetadataItem(from, "WAVELENGTH", nullptr));
        int has_nodata = 0;
        EXPECT_EQ(GDALGetRasterNoDataValue(got, &has_nodata), -9999);
        EXPECT_TRUE(has_nodata);
        std::vector<double> want(static_cast<std::size_t>(w) * h), have(want.size());
        // What the source holds, as the answer's type holds it (Int16 values in Float32, say).
        std::vector<unsigned char> typed(want.size() * GDALGetDataTypeSizeBytes(type));
        ASSERT_EQ(GDALRasterIO(from, GF_Read, x, y, w, h, typed.data(), w, h, type, 0, 0), CE_None);
        GDALCopyWords(typed.data(), type, GDALGetDataTypeSizeBytes(type), want.data(), GDT_Float64, 8,
                      static_cast<int>(want.size()));
        ASSERT_EQ(GDALRasterIO(got, GF_Read, 0, 0, w, h, have.data(), w, h, GDT_Float64, 0, 0), CE_None);
        EXPECT_EQ(have, want);
      }
      GDALClose(out);
      VSIUnlink(name.c_str());
    }
  }
}

TEST(GeoTiffStream, RowsAreReadARowOfTilesAtATimeWithOneBuffer) {
  const auto made = make_source();
  GDALDatasetH tiled = GDALOpen(made->files[0].c_str(), GA_ReadOnly);
  const auto plan = window(5, 20, 250, 100, {1, 1});
  const auto stream = plan_geotiff_stream(tiled, plan);
  ASSERT_TRUE(stream.has_value());
  EXPECT_EQ(stream->block_height, 32);
  EXPECT_EQ(geotiff_stream_buffer_bytes(*stream), 250 * 4 * 32);
  std::vector<std::array<int, 3>> reads;
  std::string bytes;
  core::StringSink sink(bytes);
  write_geotiff_stream(*stream, plan.src_y, sink, [&](int band, int y, int rows, unsigned char*) {
    reads.push_back({band, y, rows});
  });
  // Rows 20..119 of the source: to the tile edge at 32, then 32 at a time, to 120.
  const std::vector<std::array<int, 3>> expected = {{1, 0, 12}, {1, 12, 32}, {1, 44, 32}, {1, 76, 24},
                                                    {1, 0, 12}, {1, 12, 32}, {1, 44, 32}, {1, 76, 24}};
  EXPECT_EQ(reads, expected);
  EXPECT_EQ(bytes.size(), stream->size);
  EXPECT_EQ(stream->size, stream->head.size() + 2u * 250 * 100 * 4);
  GDALClose(tiled);
}

}  // namespace
}  // namespace amis::coverage
