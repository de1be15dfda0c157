#include "coverage/coverage_info.hpp"

#include <cmath>

#include "core/error.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The EPSG code of a CRS, when GDAL can tell it; 4326 for any WGS 84 lon/lat.
std::optional<core::Crs> identify(OGRSpatialReferenceH srs) {
  SpatialRef copy(OSRClone(srs));
  auto* h = static_cast<OGRSpatialReferenceH>(copy.get());
  OSRAutoIdentifyEPSG(h);
  const char* authority = OSRGetAuthorityName(h, nullptr);
  const char* code = OSRGetAuthorityCode(h, nullptr);
  if (!authority || !code || std::string_view(authority) != "EPSG") return std::nullopt;
  const int epsg = std::atoi(code);
  if (epsg == 4326) return core::Crs{};  // served as CRS84: longitude first, as the file is
  if (epsg <= 0) return std::nullopt;
  return core::Crs{epsg};
}

}  // namespace

core::Envelope CoverageInfo::envelope() const {
  return {transform[0], transform[3] + transform[5] * height, transform[0] + transform[1] * width, transform[3]};
}

CoverageInfo read_coverage_info(const std::string& path) {
  Dataset ds(GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) throw core::ServerError("cannot open the coverage file " + path);
  return coverage_info_of(ds.get(), path);
}

CoverageInfo coverage_info_of(GDALDatasetH dataset, const std::string& path) {
  CoverageInfo info;
  info.width = GDALGetRasterXSize(dataset);
  info.height = GDALGetRasterYSize(dataset);
  info.band_count = GDALGetRasterCount(dataset);
  if (GDALGetGeoTransform(dataset, info.transform.data()) != CE_None || info.transform[2] != 0 ||
      info.transform[4] != 0 || info.transform[1] <= 0 || info.transform[5] >= 0)
    throw core::ServerError("the coverage file " + path + " is not a north-up grid");
  const OGRSpatialReferenceH srs = GDALGetSpatialRef(dataset);
  if (!srs) throw core::ServerError("the coverage file " + path + " has no CRS");
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  if (OSRExportToWktEx(srs, &wkt, options) == OGRERR_NONE && wkt) info.crs_wkt = wkt;
  CPLFree(wkt);
  info.crs = identify(srs);
  info.geographic = OSRIsGeographic(srs) != 0;
  info.x_label = info.geographic ? "Lon" : "E";
  info.y_label = info.geographic ? "Lat" : "N";
  if (info.geographic) {
    info.uom = "deg";
  } else {
    char* unit = nullptr;
    OSRGetLinearUnits(srs, &unit);
    info.uom = unit && (std::string_view(unit) == "metre" || std::string_view(unit) == "meter") ? "m"
                                                                                                : (unit ? unit : "");
  }
  if (info.band_count > 0) {
    GDALRasterBandH first = GDALGetRasterBand(dataset, 1);
    info.data_type = GDALGetDataTypeName(GDALGetRasterDataType(first));
    info.overviews = GDALGetOverviewCount(first);
  }
  return info;
}

int spatial_axis(const CoverageInfo& info, std::string_view name, bool geographic_names) {
  const std::string n = lower(name);
  if (n == lower(info.x_label)) return 0;
  if (n == lower(info.y_label)) return 1;
  if (geographic_names) {
    if (n == "lon" || n == "long" || n == "longitude" || n == "x") return 0;
    if (n == "lat" || n == "latitude" || n == "y") return 1;
  } else {
    if (n == "e" || n == "easting" || n == "x") return 0;
    if (n == "n" || n == "northing" || n == "y") return 1;
  }
  return -1;
}

}  // namespace amis::coverage
