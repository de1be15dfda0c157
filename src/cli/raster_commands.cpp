// `amis raster add FILE --id ID ...`: converts a raster GDAL reads into a Cloud
// Optimized GeoTIFF in the store's rasters/ folder and records it as a layer (a
// coverage) with its bands' names, units, nodata values and descriptions.
#include <gdal.h>
#include <ogr_srs_api.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "coverage/cog_writer.hpp"
#include "styles/style_catalog.hpp"

namespace amis::cli {
namespace {

struct DatasetCloser {
  void operator()(void* ds) const {
    if (ds) GDALClose(ds);
  }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

// The dataset's box in CRS84, densified along the edges.
core::Envelope crs84_extent(GDALDatasetH ds) {
  double t[6];
  if (GDALGetGeoTransform(ds, t) != CE_None) throw std::runtime_error("the raster has no georeferencing");
  const double x0 = t[0], y0 = t[3];
  const double x1 = t[0] + t[1] * GDALGetRasterXSize(ds), y1 = t[3] + t[5] * GDALGetRasterYSize(ds);
  OGRSpatialReferenceH source = GDALGetSpatialRef(ds) ? OSRClone(GDALGetSpatialRef(ds)) : nullptr;
  if (!source) throw std::runtime_error("the raster has no CRS");
  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(nullptr);
  OSRSetWellKnownGeogCS(wgs84, "WGS84");
  OSRSetAxisMappingStrategy(source, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(source, wgs84);
  core::Envelope e;
  if (ct) {
    double min_x, min_y, max_x, max_y;
    if (OCTTransformBounds(ct, std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1), &min_x,
                           &min_y, &max_x, &max_y, 21))
      e = {min_x, min_y, max_x, max_y};
    OCTDestroyCoordinateTransformation(ct);
  }
  OSRDestroySpatialReference(source);
  OSRDestroySpatialReference(wgs84);
  if (e.empty()) throw std::runtime_error("the raster's extent cannot be expressed in WGS 84");
  return e;
}

}  // namespace

int raster_command(const config::Config& config, const RasterCommand& command) {
  if (!styles::valid_style_name(command.id) || command.id.find('.') != std::string::npos)
    throw std::runtime_error("'" + command.id.substr(0, 80) +
                             "' is not a raster id: 1 to 64 letters, digits, '_' or '-', beginning with a letter or digit");
  const auto opened = store::open_features(store_location(config));
  store::Store& store = *opened;
  Dataset source(GDALOpen(command.file.c_str(), GA_ReadOnly));
  if (!source) throw std::runtime_error("cannot read " + command.file + " as a raster");
  if (GDALGetRasterCount(source.get()) < 1) throw std::runtime_error(command.file + " has no band");
  store::RasterLayer layer;
  layer.id = command.id;
  layer.title = command.title.empty() ? command.id : command.title;
  layer.description = command.description;
  layer.attribution = command.attribution;
  layer.licence = command.licence;
  layer.extent = crs84_extent(source.get());
  layer.bands = coverage::read_bands(source.get(), {command.band_names, command.units, command.band_descriptions});
  layer.min = layer.bands.front().min;
  layer.max = layer.bands.front().max;

  const auto folder = store::store_folder(store_location(config)) / "rasters";
  std::filesystem::create_directories(folder);
  coverage::write_cog(source.get(), layer.bands, folder / (command.id + ".tif"));
  layer.path = "rasters/" + command.id + ".tif";
  store.put_raster(layer);
  std::cout << layer.id << "\t" << layer.min << "\t" << layer.max << "\t" << layer.title << "\n";
  for (const auto& b : layer.bands)
    std::cout << "  " << b.name << "\t" << b.data_type << "\t" << b.min << "\t" << b.max << "\t" << b.unit << "\n";
  return 0;
}

}  // namespace amis::cli
