#include "coverage/coverage_output.hpp"

#include <gdal_utils.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>

#include "core/error.hpp"
#include "coverage/decoded_tiles.hpp"
#include "coverage/coverage_json.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {

void free_gdal_buffer(void* data) { CPLFree(data); }

namespace {

// GDAL's command-line arguments, owned.
class Arguments {
 public:
  Arguments& add(std::string a) {
    items_.push_back(std::move(a));
    return *this;
  }
  Arguments& add(double v) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", v);
    return add(std::string(text));
  }
  std::vector<char*> argv() {
    std::vector<char*> out;
    for (auto& s : items_) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
  }

 private:
  std::vector<std::string> items_;
};

const char* resampling(Interpolation i) {
  switch (i) {
    case Interpolation::Linear: return "bilinear";
    case Interpolation::Cubic: return "cubic";
    case Interpolation::Nearest: break;
  }
  return "near";
}

// The window or the warp, as a virtual dataset over the source.
Dataset virtual_result(GDALDatasetH source, const CoveragePlan& plan) {
  int failed = 0;
  if (!plan.warp) {
    Arguments a;
    a.add("-of").add("VRT");
    a.add("-srcwin").add(std::to_string(plan.src_x)).add(std::to_string(plan.src_y))
        .add(std::to_string(plan.src_width)).add(std::to_string(plan.src_height));
    if (plan.width != plan.src_width || plan.height != plan.src_height)
      a.add("-outsize").add(std::to_string(plan.width)).add(std::to_string(plan.height)).add("-r")
          .add(resampling(plan.interpolation));
    auto argv = a.argv();
    GDALTranslateOptions* options = GDALTranslateOptionsNew(argv.data(), nullptr);
    Dataset out(GDALTranslate("", source, options, &failed));
    GDALTranslateOptionsFree(options);
    if (!out || failed) throw core::ServerError("GDAL could not cut the window of the coverage");
    return out;
  }
  Arguments w;
  w.add("-of").add("VRT").add("-t_srs").add(plan.target_srs).add("-te");
  for (double v : {plan.box.min_x, plan.box.min_y, plan.box.max_x, plan.box.max_y}) w.add(v);
  w.add("-ts").add(std::to_string(plan.width)).add(std::to_string(plan.height)).add("-r")
      .add(resampling(plan.interpolation));
  auto argv = w.argv();
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
  GDALDatasetH sources[] = {source};
  Dataset out(GDALWarp("", nullptr, 1, sources, options, &failed));
  GDALWarpAppOptionsFree(options);
  if (!out || failed) throw core::ServerError("GDAL could not warp the coverage");
  return out;
}

std::string memory_file_name() {
  static std::atomic<unsigned long long> counter{0};
  return "/vsimem/amis-coverage-" + std::to_string(++counter);
}

// The bytes of an answer of `plan`, as check_limits counts them (coverage_plan.cpp).
std::int64_t answer_bytes(GDALDatasetH source, const CoveragePlan& plan) {
  const int per_value = plan.encoding == Encoding::Png            ? 1
                        : plan.encoding == Encoding::CoverageJson ? static_cast<int>(kCoverageJsonBytesPerValue)
                                                                  : std::max(1, GDALGetDataTypeSizeBytes(
                                                                         GDALGetRasterDataType(GDALGetRasterBand(source, 1))));
  return plan.width * plan.height * static_cast<std::int64_t>(plan.bands.size()) * per_value;
}

// The /vsimem file `name` becomes the answer's bytes (not copied; the name goes).
// @throws core::ServerError when GDAL failed or wrote nothing.
void take_memory_file(EncodedCoverage& out, const std::string& name, bool written) {
  vsi_l_offset length = 0;
  out.file.reset(VSIGetMemFileBuffer(name.c_str(), &length, TRUE));
  VSIUnlink(name.c_str());
  out.file_size = static_cast<std::size_t>(length);
  if (!written || !out.file || out.file_size == 0) throw core::ServerError("GDAL could not encode the coverage");
}

// The band's description, nodata, unit, scale and offset, and metadata, as
// gdal_translate copies them.
void copy_band_properties(GDALRasterBandH from, GDALRasterBandH to) {
  GDALSetDescription(to, GDALGetDescription(from));
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(from, &has_nodata);
  if (has_nodata) GDALSetRasterNoDataValue(to, nodata);
  if (const char* unit = GDALGetRasterUnitType(from); unit && *unit) GDALSetRasterUnitType(to, unit);
  int has_scale = 0, has_offset = 0;
  const double scale = GDALGetRasterScale(from, &has_scale), offset = GDALGetRasterOffset(from, &has_offset);
  if (has_scale) GDALSetRasterScale(to, scale);
  if (has_offset) GDALSetRasterOffset(to, offset);
  GDALSetRasterColorInterpretation(to, GDALGetRasterColorInterpretation(from));
  GDALSetMetadata(to, GDALGetMetadata(from, nullptr), nullptr);
}

// A window at native resolution as GeoTIFF, copied in strips from `source` itself.
// What gdal_translate would do goes through a VRT over the source, and closing a
// VRT drops the source's blocks from GDAL's cache: every window decoded its tiles
// again, where a dataset kept open (OpenGrids) finds them decoded.
bool write_native_window(GDALDatasetH source, const std::string& grid, const CoveragePlan& plan,
                         const std::string& name) {
  std::vector<int> band_map = plan.bands;
  const int count = static_cast<int>(band_map.size());
  const GDALDataType type = GDALGetRasterDataType(GDALGetRasterBand(source, band_map.front()));
  const int width = static_cast<int>(plan.width), height = static_cast<int>(plan.height);
  const char* options[] = {"TILED=YES", count > 1 ? "INTERLEAVE=BAND" : nullptr, nullptr};
  Dataset out(GDALCreate(GDALGetDriverByName("GTiff"), name.c_str(), width, height, count, type,
                         const_cast<char**>(options)));
  if (!out) return false;
  std::array<double, 6> t{};
  if (GDALGetGeoTransform(source, t.data()) != CE_None) return false;
  t[0] += plan.src_x * t[1] + plan.src_y * t[2];
  t[3] += plan.src_x * t[4] + plan.src_y * t[5];
  GDALSetGeoTransform(out.get(), t.data());
  if (OGRSpatialReferenceH srs = GDALGetSpatialRef(source)) GDALSetSpatialRef(out.get(), srs);
  GDALSetMetadata(out.get(), GDALGetMetadata(source, nullptr), nullptr);
  for (int i = 0; i < count; ++i)
    copy_band_properties(GDALGetRasterBand(source, band_map[static_cast<std::size_t>(i)]),
                         GDALGetRasterBand(out.get(), i + 1));
  // The COG's block height: each strip decodes a row of tiles once. Never more rows
  // than the window has, so that the strip is never larger than the answer (a
  // 32768-cell-wide window of one row must not take 512 rows' worth of memory).
  const int strip_rows = std::min(512, height);
  const std::size_t value_bytes = static_cast<std::size_t>(std::max(1, GDALGetDataTypeSizeBytes(type)));
  std::vector<unsigned char> strip(static_cast<std::size_t>(width) * strip_rows * count * value_bytes);
  for (int y = 0; y < height; y += strip_rows) {
    const int rows = std::min(strip_rows, height - y);
    // The tiles decoded once for every dataset of the grid (decoded_tiles.hpp); bands of
    // different types through GDAL's conversion.
    const bool from_tiles = read_window_from_tiles(grid, source, band_map, static_cast<int>(plan.src_x),
                                                   static_cast<int>(plan.src_y) + y, width, rows, strip.data());
    if ((!from_tiles && GDALDatasetRasterIO(source, GF_Read, plan.src_x, plan.src_y + y, width, rows, strip.data(),
                                            width, rows, type, count, band_map.data(), 0, 0, 0) != CE_None) ||
        GDALDatasetRasterIO(out.get(), GF_Write, 0, y, width, rows, strip.data(), width, rows, type, count, nullptr,
                            0, 0, 0) != CE_None)
      return false;
    // The strip's tiles go to the file now rather than wait in the block cache as
    // a second copy of the answer.
    GDALFlushCache(out.get());
  }
  return true;  // closing `out` writes the last tiles
}

}  // namespace

EncodedCoverage encode_coverage(GDALDatasetH source, const std::string& grid, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands) {
  EncodedCoverage out;
  out.held = coverage_memory().reserve(answer_bytes(source, plan));
  if (plan.encoding == Encoding::GeoTiff && !plan.warp && plan.width == plan.src_width &&
      plan.height == plan.src_height) {
    const std::string name = memory_file_name();
    take_memory_file(out, name, write_native_window(source, grid, plan, name));
    out.media_type = kGeoTiffMediaType;
    return out;
  }
  Dataset result = virtual_result(source, plan);
  if (plan.encoding == Encoding::CoverageJson) {
    out.text = write_coverage_json(result.get(), plan, bands);
    out.media_type = kCoverageJsonMediaType;
    return out;
  }
  const bool png = plan.encoding == Encoding::Png;
  Arguments final_args;
  if (png) {
    final_args.add("-of").add("PNG");
  } else {
    final_args.add("-of").add("GTiff").add("-co").add("TILED=YES");
    if (plan.bands.size() > 1) final_args.add("-co").add("INTERLEAVE=BAND");
  }
  for (int b : plan.bands) final_args.add("-b").add(std::to_string(b));
  if (png && GDALGetRasterDataType(GDALGetRasterBand(result.get(), 1)) != GDT_Byte) {
    final_args.add("-ot").add("Byte");
    for (std::size_t i = 0; i < plan.bands.size(); ++i) {
      const auto index = static_cast<std::size_t>(plan.bands[i] - 1);
      const double lo = index < bands.size() ? bands[index].min : 0;
      const double hi = index < bands.size() && bands[index].max > lo ? bands[index].max : lo + 1;
      final_args.add("-scale_" + std::to_string(i + 1));
      for (double v : {lo, hi, 0.0, 255.0}) final_args.add(v);
    }
  }
  const std::string name = memory_file_name();
  auto argv = final_args.argv();
  GDALTranslateOptions* options = GDALTranslateOptionsNew(argv.data(), nullptr);
  int failed = 0;
  Dataset written(GDALTranslate(name.c_str(), result.get(), options, &failed));
  GDALTranslateOptionsFree(options);
  const bool ok = written && !failed;
  written.reset();
  take_memory_file(out, name, ok);
  out.media_type = png ? "image/png" : kGeoTiffMediaType;
  return out;
}

EncodedCoverage encode_coverage(OpenGrids& grids, const std::string& path, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands) {
  const auto grid = grids.lease(path);
  return encode_coverage(grid.dataset(), grid.key(), plan, bands);
}

}  // namespace amis::coverage
