#include "coverage/point_values.hpp"

#include <cmath>

#include "core/error.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

SpatialRef srs_from(const std::string& definition) {
  SpatialRef srs(OSRNewSpatialReference(nullptr));
  auto* h = static_cast<OGRSpatialReferenceH>(srs.get());
  if (OSRSetFromUserInput(h, definition.c_str()) != OGRERR_NONE) return nullptr;
  OSRSetAxisMappingStrategy(h, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

// (x, y) from `crs` into the coverage's CRS; false when PROJ cannot.
bool to_coverage_crs(const CoverageInfo& info, const core::Crs& crs, double& x, double& y) {
  if (info.crs && (*info.crs == crs || (info.crs->is_crs84() && crs.epsg == 4326))) return true;
  const auto from = srs_from(crs.proj_name());
  const auto to = srs_from(info.crs_wkt);
  if (!from || !to) return false;
  OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(static_cast<OGRSpatialReferenceH>(from.get()),
                                                                    static_cast<OGRSpatialReferenceH>(to.get()));
  if (!ct) return false;
  const bool ok = OCTTransform(ct, 1, &x, &y, nullptr) != 0;
  OCTDestroyCoordinateTransformation(ct);
  return ok && std::isfinite(x) && std::isfinite(y);
}

}  // namespace

std::optional<PointValues> values_at(const std::string& path, const CoverageInfo& info, const core::Crs& crs,
                                     double x, double y) {
  if (!to_coverage_crs(info, crs, x, y)) return std::nullopt;
  Dataset ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) throw core::ServerError("cannot open the coverage file " + path);
  return cell_values(ds.get(), path, info, x, y);
}

std::optional<PointValues> values_at(GDALDatasetH dataset, const std::string& path, const CoverageInfo& info,
                                     const core::Crs& crs, double x, double y) {
  if (!to_coverage_crs(info, crs, x, y)) return std::nullopt;
  return cell_values(dataset, path, info, x, y);
}

std::optional<PointValues> cell_values(GDALDatasetH dataset, const std::string& path, const CoverageInfo& info,
                                       double x, double y) {
  const auto& t = info.transform;
  const double column = std::floor((x - t[0]) / t[1]);
  const double row = std::floor((y - t[3]) / t[5]);
  if (!(column >= 0 && column < info.width && row >= 0 && row < info.height)) return std::nullopt;
  PointValues out;
  out.column = static_cast<int>(column);
  out.row = static_cast<int>(row);
  const int bands = GDALGetRasterCount(dataset);
  for (int b = 1; b <= bands; ++b) {
    GDALRasterBandH band = GDALGetRasterBand(dataset, b);
    double v = 0;
    if (GDALRasterIO(band, GF_Read, out.column, out.row, 1, 1, &v, 1, 1, GDT_Float64, 0, 0) != CE_None)
      throw core::ServerError("cannot read the coverage file " + path);
    int has_nodata = 0;
    const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
    const bool missing = std::isnan(v) || (has_nodata && (v == nodata || (std::isnan(nodata) && std::isnan(v))));
    out.values.push_back(missing ? std::nullopt : std::optional<double>(v));
  }
  return out;
}

}  // namespace amis::coverage
