#include "render/raster_image.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/envelope.hpp"
#include "core/error.hpp"
#include "core/request_budget.hpp"

namespace amis::render {
namespace {

struct DatasetCloser {
  void operator()(void* ds) const {
    if (ds) GDALClose(ds);
  }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

Rgb mix(const Rgb& a, const Rgb& b, double t) {
  auto lerp = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (y - x) * t));
  };
  return {lerp(a.r, b.r), lerp(a.g, b.g), lerp(a.b, b.b)};
}

Rgb ramp_colour(double fraction) {
  const auto& stops = raster_ramp();
  if (!(fraction > stops.front().at)) return stops.front().colour;
  for (std::size_t i = 1; i < stops.size(); ++i)
    if (fraction <= stops[i].at)
      return mix(stops[i - 1].colour, stops[i].colour,
                 (fraction - stops[i - 1].at) / (stops[i].at - stops[i - 1].at));
  return stops.back().colour;
}

struct SpatialRefDeleter {
  void operator()(OGRSpatialReferenceH srs) const { OSRDestroySpatialReference(srs); }
};
// An OGRSpatialReference whose coordinates are always east/north (x, y), as the
// map's box and GDAL's geotransforms are.
using SpatialRef = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SpatialRefDeleter>;

SpatialRef east_north(OGRSpatialReferenceH srs) {
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
  return SpatialRef(srs);
}

SpatialRef map_srs(const core::Crs& crs) {
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  if (crs.is_crs84()) OSRSetWellKnownGeogCS(srs, "WGS84");
  else OSRImportFromEPSG(srs, crs.epsg);
  return east_north(srs);
}

// `box` from one CRS to another, its edges densified by OGR; nullopt when it
// cannot be transformed or comes out infinite.
std::optional<core::Envelope> transform_box(OGRSpatialReferenceH from, OGRSpatialReferenceH to,
                                            const core::Envelope& box) {
  if (box.empty()) return std::nullopt;
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(from, to);
  if (!ct) return std::nullopt;
  core::Envelope out;
  const int ok = OCTTransformBounds(ct, box.min_x, box.min_y, box.max_x, box.max_y, &out.min_x, &out.min_y,
                                    &out.max_x, &out.max_y, 21);
  OCTDestroyCoordinateTransformation(ct);
  const bool finite = std::isfinite(out.min_x) && std::isfinite(out.min_y) && std::isfinite(out.max_x) &&
                      std::isfinite(out.max_y);
  if (!ok || !finite || out.empty()) return std::nullopt;
  return out;
}

// Where, in the map's CRS, the raster can have values: its extent there, or
// where that cannot be transformed (a world raster in Web Mercator), the part of
// it within the area of use of the map's CRS. GDAL's warper is only ever asked
// for pixels in this region: a box far outside a projection's domain (Web
// Mercator to 1e20 m) kept it looping for days in
// GDALWarpOperation::ComputeSourceWindow, where no progress callback is called.
std::optional<core::Envelope> drawable_region(GDALDatasetH source, OGRSpatialReferenceH target) {
  double t[6];
  const OGRSpatialReferenceH source_srs = GDALGetSpatialRef(source);
  if (GDALGetGeoTransform(source, t) != CE_None || !source_srs) return std::nullopt;
  const double w = GDALGetRasterXSize(source), h = GDALGetRasterYSize(source);
  core::Envelope extent;
  for (const auto& [px, py] : {std::pair{0.0, 0.0}, {w, 0.0}, {0.0, h}, {w, h}})
    extent.expand(t[0] + px * t[1] + py * t[2], t[3] + px * t[4] + py * t[5]);
  const SpatialRef from = east_north(OSRClone(source_srs));
  if (auto region = transform_box(from.get(), target, extent)) return region;
  double west = 0, south = 0, east = 0, north = 0;
  const char* name = nullptr;
  if (!OSRGetAreaOfUse(target, &west, &south, &east, &north, &name)) return std::nullopt;
  if (west > east) west = -180, east = 180;  // an area across the antimeridian: all longitudes
  const SpatialRef lonlat = map_srs(core::Crs{});
  auto in_lonlat = transform_box(from.get(), lonlat.get(), extent);
  if (!in_lonlat) return std::nullopt;
  const core::Envelope usable{std::max(in_lonlat->min_x, west), std::max(in_lonlat->min_y, south),
                              std::min(in_lonlat->max_x, east), std::min(in_lonlat->max_y, north)};
  return transform_box(lonlat.get(), target, usable);
}

// The pixels of the map to warp: a rectangle of columns and rows.
struct PixelWindow {
  int col = 0, row = 0, width = 0, height = 0;
};

// The pixels whose centre lies in `region` (widened by 1 % of its size, so that
// the cells at the raster's edge keep their bilinear values); nullopt for none.
// The warp samples each pixel at its centre, so every pixel left out would have
// had no value.
std::optional<PixelWindow> pixel_window(const MapRequest& request, const core::Envelope& region) {
  const auto& b = request.bbox;
  const double sx = (b.max_x - b.min_x) / request.width, sy = (b.max_y - b.min_y) / request.height;
  const double mx = (region.max_x - region.min_x) * 0.01, my = (region.max_y - region.min_y) * 0.01;
  // Pixel centres: x = min_x + (col + 0.5) sx, y = max_y - (row + 0.5) sy.
  auto clamp = [](double v, int n) { return static_cast<int>(std::clamp(v, -1.0, static_cast<double>(n))); };
  const int col0 = clamp(std::ceil((region.min_x - mx - b.min_x) / sx - 0.5), request.width);
  const int col1 = clamp(std::floor((region.max_x + mx - b.min_x) / sx - 0.5), request.width);
  const int row0 = clamp(std::ceil((b.max_y - region.max_y - my) / sy - 0.5), request.height);
  const int row1 = clamp(std::floor((b.max_y - region.min_y + my) / sy - 0.5), request.height);
  PixelWindow w;
  w.col = std::max(col0, 0);
  w.row = std::max(row0, 0);
  w.width = std::min(col1, request.width - 1) - w.col + 1;
  w.height = std::min(row1, request.height - 1) - w.row + 1;
  if (w.width <= 0 || w.height <= 0) return std::nullopt;
  return w;
}

// GDAL asks between chunks and scanlines of a warp whether to go on.
int CPL_STDCALL go_on_while_budget_lasts(double, const char*, void*) {
  return core::RequestBudget::exhausted() ? FALSE : TRUE;
}

// The raster's values at the centres of the window's pixels (NaN: no data).
// @throws core::DeadlineExceeded, core::ClientDisconnected, core::ServerError
std::vector<float> warp(GDALDatasetH source, OGRSpatialReferenceH target_srs, const MapRequest& request,
                        const PixelWindow& window, const std::string& id, bool nearest) {
  const auto& b = request.bbox;
  const double sx = (b.max_x - b.min_x) / request.width, sy = (b.max_y - b.min_y) / request.height;
  Dataset target(GDALCreate(GDALGetDriverByName("MEM"), "", window.width, window.height, 1, GDT_Float32, nullptr));
  double transform[6] = {b.min_x + window.col * sx, sx, 0, b.max_y - window.row * sy, 0, -sy};
  GDALSetGeoTransform(target.get(), transform);
  GDALSetSpatialRef(target.get(), target_srs);
  GDALRasterBandH band = GDALGetRasterBand(target.get(), 1);
  GDALSetRasterNoDataValue(band, std::nan(""));
  GDALFillRaster(band, std::nan(""), 0);
  const char* arguments[] = {"-r", nearest ? "near" : "bilinear", "-dstnodata", "nan", "-wo", "INIT_DEST=NO_DATA", nullptr};
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(const_cast<char**>(arguments), nullptr);
  GDALWarpAppOptionsSetProgress(options, go_on_while_budget_lasts, nullptr);
  // The first band only: the warper pairs the source's bands with the target's
  // (GDAL 3.6's gdalwarp has no -b), so a grid of several bands goes through a VRT.
  Dataset first_band;
  int usage_error = 0;
  if (GDALGetRasterCount(source) > 1) {
    const char* band_arguments[] = {"-of", "VRT", "-b", "1", nullptr};
    GDALTranslateOptions* translate = GDALTranslateOptionsNew(const_cast<char**>(band_arguments), nullptr);
    first_band.reset(GDALTranslate("", source, translate, &usage_error));
    GDALTranslateOptionsFree(translate);
    if (!first_band) {
      GDALWarpAppOptionsFree(options);
      throw core::ServerError("cannot read the first band of layer '" + id + "'");
    }
  }
  GDALDatasetH sources[] = {first_band ? first_band.get() : source};
  GDALDatasetH warped = GDALWarp(nullptr, target.get(), 1, sources, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (!warped) {
    core::RequestBudget::check();  // stopped by the callback
    throw core::ServerError("cannot warp the raster of layer '" + id + "'");
  }
  std::vector<float> values(static_cast<std::size_t>(window.width) * static_cast<std::size_t>(window.height));
  if (GDALRasterIO(band, GF_Read, 0, 0, window.width, window.height, values.data(), window.width, window.height,
                   GDT_Float32, 0, 0) != CE_None)
    throw core::ServerError("cannot read the warped raster of layer '" + id + "'");
  return values;
}

}  // namespace

const std::vector<RampStop>& raster_ramp() {
  // ColorBrewer RdBu, reversed: low values blue, high values red.
  static const std::vector<RampStop> stops = {{0.0, {0x21, 0x66, 0xac}}, {0.25, {0x67, 0xa9, 0xcf}},
                                              {0.5, {0xf7, 0xf7, 0xf7}}, {0.75, {0xef, 0x8a, 0x62}},
                                              {1.0, {0xb2, 0x18, 0x2b}}};
  return stops;
}

namespace {

bool geographic(OGRSpatialReferenceH srs) { return OSRIsGeographic(srs) != 0; }

// The grey hillshade of the raster's first band over the map: the band is warped
// (bilinear) onto the map's grid widened by one pixel on each side, and GDAL's
// DEM processing shades it (Horn's method, the style's azimuth, altitude and z
// factor, edges computed; 111120 metres a degree on a geographic map). Pixels where the
// band has no data stay clear.
std::vector<std::uint8_t> hillshade_image(GDALDatasetH source, OGRSpatialReferenceH target_srs,
                                          const store::RasterLayer& raster, const MapRequest& request,
                                          const Style& style) {
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(request.width) * static_cast<std::size_t>(request.height) * 4,
                                 0);
  MapRequest wide = request;
  const double sx = (request.bbox.max_x - request.bbox.min_x) / request.width;
  const double sy = (request.bbox.max_y - request.bbox.min_y) / request.height;
  wide.bbox = {request.bbox.min_x - sx, request.bbox.min_y - sy, request.bbox.max_x + sx, request.bbox.max_y + sy};
  wide.width = request.width + 2;
  wide.height = request.height + 2;
  const auto region = drawable_region(source, target_srs);
  if (!region) return rgba;
  const auto window = pixel_window(wide, *region);
  if (!window) return rgba;
  const auto values = warp(source, target_srs, wide, *window, raster.id, false);
  Dataset elevation(GDALCreate(GDALGetDriverByName("MEM"), "", wide.width, wide.height, 1, GDT_Float32, nullptr));
  double transform[6] = {wide.bbox.min_x, sx, 0, wide.bbox.max_y, 0, -sy};
  GDALSetGeoTransform(elevation.get(), transform);
  GDALSetSpatialRef(elevation.get(), target_srs);
  GDALRasterBandH band = GDALGetRasterBand(elevation.get(), 1);
  GDALSetRasterNoDataValue(band, std::nan(""));
  GDALFillRaster(band, std::nan(""), 0);
  if (GDALRasterIO(band, GF_Write, window->col, window->row, window->width, window->height,
                   const_cast<float*>(values.data()), window->width, window->height, GDT_Float32, 0, 0) != CE_None)
    throw core::ServerError("cannot shade the raster of layer '" + raster.id + "'");
  const std::string azimuth = std::to_string(style.azimuth), altitude = std::to_string(style.altitude),
                    z_factor = std::to_string(style.z_factor);
  const char* arguments[] = {"-of", "MEM", "-compute_edges", "-s", geographic(target_srs) ? "111120" : "1",
                             "-az", azimuth.c_str(), "-alt", altitude.c_str(), "-z", z_factor.c_str(), nullptr};
  GDALDEMProcessingOptions* options = GDALDEMProcessingOptionsNew(const_cast<char**>(arguments), nullptr);
  int usage_error = 0;
  Dataset shaded(GDALDEMProcessing("", elevation.get(), "hillshade", nullptr, options, &usage_error));
  GDALDEMProcessingOptionsFree(options);
  if (!shaded) throw core::ServerError("cannot shade the raster of layer '" + raster.id + "'");
  std::vector<std::uint8_t> grey(static_cast<std::size_t>(request.width) * static_cast<std::size_t>(request.height));
  std::vector<float> inner(grey.size());
  if (GDALRasterIO(GDALGetRasterBand(shaded.get(), 1), GF_Read, 1, 1, request.width, request.height, grey.data(),
                   request.width, request.height, GDT_Byte, 0, 0) != CE_None ||
      GDALRasterIO(band, GF_Read, 1, 1, request.width, request.height, inner.data(), request.width, request.height,
                   GDT_Float32, 0, 0) != CE_None)
    throw core::ServerError("cannot read the hillshade of layer '" + raster.id + "'");
  for (std::size_t i = 0; i < grey.size(); ++i) {
    if (std::isnan(inner[i])) continue;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = grey[i];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

}  // namespace

std::vector<std::uint8_t> raster_image(const store::RasterLayer& raster, const MapRequest& request,
                                       const Style* style) {
  core::RequestBudget::check();
  const ColorMap* color_map = raster_color_map(style);
  Dataset source(GDALOpen(raster.path.c_str(), GA_ReadOnly));
  if (!source) throw core::ServerError("cannot read the raster of layer '" + raster.id + "'");
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(request.width) * static_cast<std::size_t>(request.height) * 4,
                                 0);
  const SpatialRef target_srs = map_srs(request.crs);
  if (style && style->hillshade) return hillshade_image(source.get(), target_srs.get(), raster, request, *style);
  const auto region = drawable_region(source.get(), target_srs.get());
  if (!region) return rgba;  // the raster has no place in this CRS
  const auto window = pixel_window(request, *region);
  if (!window) return rgba;  // no pixel's centre falls where the raster can have values
  const bool nearest = color_map && color_map->type != ColorMapType::Ramp;
  const auto values = warp(source.get(), target_srs.get(), request, *window, raster.id, nearest);
  const double range = raster.max > raster.min ? raster.max - raster.min : 1;
  for (int row = 0; row < window->height; ++row)
    for (int col = 0; col < window->width; ++col) {
      const float v = values[static_cast<std::size_t>(row) * static_cast<std::size_t>(window->width) +
                             static_cast<std::size_t>(col)];
      if (std::isnan(v)) continue;
      Rgb c;
      std::uint8_t alpha = 255;
      if (color_map) {
        const auto mapped = colour_of(*color_map, v);
        if (!mapped || mapped->opacity <= 0) continue;
        c = {mapped->r, mapped->g, mapped->b};
        alpha = static_cast<std::uint8_t>(std::lround(std::clamp(mapped->opacity, 0.0, 1.0) * 255));
      } else {
        c = ramp_colour((v - raster.min) / range);
      }
      const std::size_t i =
          (static_cast<std::size_t>(window->row + row) * static_cast<std::size_t>(request.width) +
           static_cast<std::size_t>(window->col + col)) * 4;
      rgba[i] = c.r;
      rgba[i + 1] = c.g;
      rgba[i + 2] = c.b;
      rgba[i + 3] = alpha;
    }
  return rgba;
}

}  // namespace amis::render
