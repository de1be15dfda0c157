#include "coverage/grid_import.hpp"

#include <gdal.h>
#include <ogr_srs_api.h>

#include <algorithm>

#include "core/error.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

// The dataset's box in CRS84, densified along the edges; empty when its CRS
// cannot be expressed in WGS 84.
core::Envelope crs84_extent(GDALDatasetH ds, OGRSpatialReferenceH source_crs, const double t[6]) {
  const double x0 = t[0], y0 = t[3];
  const double x1 = t[0] + t[1] * GDALGetRasterXSize(ds), y1 = t[3] + t[5] * GDALGetRasterYSize(ds);
  SpatialRef source(OSRClone(source_crs));
  SpatialRef wgs84(OSRNewSpatialReference(nullptr));
  OSRSetWellKnownGeogCS(static_cast<OGRSpatialReferenceH>(wgs84.get()), "WGS84");
  OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(source.get()), OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(wgs84.get()), OAMS_TRADITIONAL_GIS_ORDER);
  CPLPushErrorHandler(CPLQuietErrorHandler);
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(static_cast<OGRSpatialReferenceH>(source.get()),
                                                                   static_cast<OGRSpatialReferenceH>(wgs84.get()));
  core::Envelope e;
  if (ct) {
    double min_x, min_y, max_x, max_y;
    if (OCTTransformBounds(ct, std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1), &min_x,
                           &min_y, &max_x, &max_y, 21))
      e = {min_x, min_y, max_x, max_y};
    OCTDestroyCoordinateTransformation(ct);
  }
  CPLPopErrorHandler();
  return e;
}

}  // namespace

ImportedGrid import_grid(const std::filesystem::path& source, const BandLabels& labels,
                         const std::filesystem::path& target, const std::string& locator) {
  CPLPushErrorHandler(CPLQuietErrorHandler);  // a refusal is answered, not logged by GDAL
  Dataset ds(GDALOpenEx(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  CPLPopErrorHandler();
  if (!ds) throw core::InvalidValue(locator, "GDAL cannot read the file as a grid (raster)");
  auto* h = static_cast<GDALDatasetH>(ds.get());
  ImportedGrid out;
  out.width = GDALGetRasterXSize(h);
  out.height = GDALGetRasterYSize(h);
  const int count = GDALGetRasterCount(h);
  if (count < 1 || out.width < 1 || out.height < 1) throw core::InvalidValue(locator, "the grid has no band");
  if (static_cast<std::int64_t>(out.width) * out.height * count > kMaxImportCells)
    throw core::InvalidValue(locator, "the grid has more than " + std::to_string(kMaxImportCells) + " cells");
  double t[6];
  if (GDALGetGeoTransform(h, t) != CE_None || t[1] == 0 || t[5] == 0)
    throw core::InvalidValue(locator, "the grid has no georeferencing (geotransform)");
  if (t[2] != 0 || t[4] != 0) throw core::InvalidValue(locator, "the grid is rotated: only north-up grids are taken");
  const OGRSpatialReferenceH crs = GDALGetSpatialRef(h);
  if (!crs) throw core::InvalidValue(locator, "the grid has no CRS");
  out.extent = crs84_extent(h, crs, t);
  if (out.extent.empty()) throw core::InvalidValue(locator, "the grid's CRS cannot be expressed in WGS 84");
  if (const char* name = OSRGetName(crs)) out.crs = name;
  if (GDALDriverH driver = GDALGetDatasetDriver(h)) out.driver = GDALGetDriverShortName(driver);
  const bool fit = labels.names.size() == static_cast<std::size_t>(count);
  try {
    out.bands = read_bands(h, labels.only_if_they_fit && !fit ? BandLabels{} : labels);
  } catch (const std::runtime_error& e) {
    throw core::InvalidValue(locator, e.what());
  }
  write_cog(h, out.bands, target);
  return out;
}

}  // namespace amis::coverage
