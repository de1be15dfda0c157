#include "coverage/coverage_output.hpp"

#include <gdal_utils.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <functional>

#include "core/error.hpp"
#include "coverage/decoded_tiles.hpp"
#include "coverage/coverage_json.hpp"
#include "coverage/gdal_handles.hpp"
#include "coverage/geotiff_stream.hpp"

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

bool is_native_geotiff(const CoveragePlan& plan) {
  return plan.encoding == Encoding::GeoTiff && !plan.warp && plan.width == plan.src_width &&
         plan.height == plan.src_height;
}

// Rows of band `band` of the window as the file's type: from the tiles decoded once
// for every dataset of the grid (decoded_tiles.hpp) when the band has that type,
// else through GDAL's conversion.
void read_window_rows(GDALDatasetH source, const std::string& grid, const CoveragePlan& plan,
                      const GeoTiffStream& file, int band, int y, int rows, unsigned char* out) {
  GDALRasterBandH b = GDALGetRasterBand(source, band);
  // A window of more than an eighth of the shared tiles reads each of its tiles once:
  // keeping them would push out what the other windows share, and let eight such
  // windows at once fill the whole cache.
  const bool keep = static_cast<std::int64_t>(file.width) * file.height * file.value_bytes <=
                    decoded_tiles().budget() / 8;
  if (GDALGetRasterDataType(b) == file.type &&
      read_window_from_tiles(grid, source, {band}, plan.src_x, plan.src_y + y, file.width, rows, out, keep))
    return;
  if (GDALRasterIO(b, GF_Read, plan.src_x, plan.src_y + y, file.width, rows, out, file.width, rows, file.type, 0, 0) !=
      CE_None)
    throw core::ServerError("GDAL could not read the coverage");
}

// `file` written while it is sent, its rows read by `read_rows`, holding its row
// buffer of the answer budget.
EncodedCoverage streamed_geotiff(GeoTiffStream file, int src_y,
                                 std::function<void(const GeoTiffStream&, int band, int y, int rows, unsigned char*)>
                                     read_rows) {
  EncodedCoverage out;
  out.held = coverage_memory().reserve(geotiff_stream_buffer_bytes(file));
  out.media_type = kGeoTiffMediaType;
  out.streamed_size = file.size;
  auto shared = std::make_shared<const GeoTiffStream>(std::move(file));
  out.write = [shared, src_y, read_rows = std::move(read_rows)](core::ByteSink& sink) {
    write_geotiff_stream(*shared, src_y, sink, [&](int band, int y, int rows, unsigned char* buffer) {
      read_rows(*shared, band, y, rows, buffer);
    });
  };
  return out;
}

// The window written while it is sent. A dataset of the grid is leased for each
// row of tiles only, so that a slow client never keeps one from other requests;
// the file must stay the one the head describes.
EncodedCoverage streamed_window(OpenGrids& grids, const std::string& path, const std::string& key,
                                const CoveragePlan& plan, GeoTiffStream file) {
  return streamed_geotiff(std::move(file), plan.src_y,
                          [&grids, path, key, plan](const GeoTiffStream& f, int band, int y, int rows,
                                                    unsigned char* buffer) {
                            const auto grid = grids.lease(path);
                            if (grid.key() != key)
                              throw core::ServerError("the coverage's file changed while it was sent");
                            read_window_rows(grid.dataset(), key, plan, f, band, y, rows, buffer);
                          });
}

// From this size a scaled or warped GeoTIFF answer is written while it is sent; below,
// it is encoded first on the pool's dataset, whose GDAL block cache keeps the
// overview tiles that the next such view reads.
constexpr std::int64_t kStreamViewsFrom = std::int64_t{16} << 20;

// A scaled or warped view as GeoTIFF written while it is sent: GDAL's VRT of it, read
// a block of rows at a time, over a dataset of the file opened for this answer alone
// (a slow client holds it, never one of the pool's). nullopt when a classic TIFF
// cannot hold it.
// @throws core::ServerError when GDAL cannot open the file or make the view.
std::optional<EncodedCoverage> streamed_view(const std::string& path, const CoveragePlan& plan) {
  struct View {
    Dataset source, result;
  };
  auto view = std::make_shared<View>();
  view->source.reset(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!view->source) throw core::ServerError("GDAL could not open the coverage");
  view->result = virtual_result(view->source.get(), plan);
  CoveragePlan whole = plan;  // the view's own cells, all of them
  whole.warp = false;
  whole.src_x = whole.src_y = 0;
  whole.src_width = plan.width;
  whole.src_height = plan.height;
  auto file = plan_geotiff_stream(view->result.get(), whole);
  if (!file) return std::nullopt;
  return streamed_geotiff(std::move(*file), 0,
                          [view](const GeoTiffStream& f, int band, int y, int rows, unsigned char* buffer) {
                            if (GDALRasterIO(GDALGetRasterBand(view->result.get(), band), GF_Read, 0, y, f.width, rows,
                                             buffer, f.width, rows, f.type, 0, 0) != CE_None)
                              throw core::ServerError("GDAL could not read the coverage");
                          });
}

}  // namespace

EncodedCoverage encode_coverage(GDALDatasetH source, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands) {
  EncodedCoverage out;
  out.held = coverage_memory().reserve(answer_bytes(source, plan));
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
  if (is_native_geotiff(plan)) {
    std::optional<GeoTiffStream> file;
    std::string key;
    {
      const auto grid = grids.lease(path);
      file = plan_geotiff_stream(grid.dataset(), plan);
      key = grid.key();
    }
    if (file) return streamed_window(grids, path, key, plan, std::move(*file));
  }
  const auto grid = grids.lease(path);
  if (plan.encoding == Encoding::GeoTiff && answer_bytes(grid.dataset(), plan) >= kStreamViewsFrom)
    if (auto streamed = streamed_view(path, plan)) return std::move(*streamed);
  return encode_coverage(grid.dataset(), plan, bands);
}

}  // namespace amis::coverage
