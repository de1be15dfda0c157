#include "render/raster_image.hpp"

#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <memory>

#include "core/error.hpp"

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

}  // namespace

const std::vector<RampStop>& raster_ramp() {
  // ColorBrewer RdBu, reversed: low values blue, high values red.
  static const std::vector<RampStop> stops = {{0.0, {0x21, 0x66, 0xac}}, {0.25, {0x67, 0xa9, 0xcf}},
                                              {0.5, {0xf7, 0xf7, 0xf7}}, {0.75, {0xef, 0x8a, 0x62}},
                                              {1.0, {0xb2, 0x18, 0x2b}}};
  return stops;
}

std::vector<std::uint8_t> raster_image(const store::RasterLayer& raster, const MapRequest& request) {
  Dataset source(GDALOpen(raster.path.c_str(), GA_ReadOnly));
  if (!source) throw core::ServerError("cannot read the raster of layer '" + raster.id + "'");
  GDALDriverH mem = GDALGetDriverByName("MEM");
  Dataset target(GDALCreate(mem, "", request.width, request.height, 1, GDT_Float32, nullptr));
  const auto& b = request.bbox;
  double transform[6] = {b.min_x, (b.max_x - b.min_x) / request.width, 0,
                         b.max_y, 0, -(b.max_y - b.min_y) / request.height};
  GDALSetGeoTransform(target.get(), transform);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  if (request.crs.is_crs84()) OSRSetWellKnownGeogCS(srs, "WGS84");
  else OSRImportFromEPSG(srs, request.crs.epsg);
  OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);  // east/north, as the box is
  GDALSetSpatialRef(target.get(), srs);
  OSRDestroySpatialReference(srs);
  GDALRasterBandH band = GDALGetRasterBand(target.get(), 1);
  GDALSetRasterNoDataValue(band, std::nan(""));
  GDALFillRaster(band, std::nan(""), 0);
  const char* arguments[] = {"-r", "bilinear", "-dstnodata", "nan", "-wo", "INIT_DEST=NO_DATA", nullptr};
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(const_cast<char**>(arguments), nullptr);
  GDALDatasetH sources[] = {source.get()};
  int usage_error = 0;
  GDALDatasetH warped = GDALWarp(nullptr, target.get(), 1, sources, options, &usage_error);
  GDALWarpAppOptionsFree(options);
  if (!warped) throw core::ServerError("cannot warp the raster of layer '" + raster.id + "'");
  std::vector<float> values(static_cast<std::size_t>(request.width) * static_cast<std::size_t>(request.height));
  if (GDALRasterIO(band, GF_Read, 0, 0, request.width, request.height, values.data(), request.width, request.height,
                   GDT_Float32, 0, 0) != CE_None)
    throw core::ServerError("cannot read the warped raster of layer '" + raster.id + "'");
  std::vector<std::uint8_t> rgba(values.size() * 4, 0);
  const double range = raster.max > raster.min ? raster.max - raster.min : 1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) continue;
    const Rgb c = ramp_colour((values[i] - raster.min) / range);
    rgba[i * 4] = c.r;
    rgba[i * 4 + 1] = c.g;
    rgba[i * 4 + 2] = c.b;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

}  // namespace amis::render
