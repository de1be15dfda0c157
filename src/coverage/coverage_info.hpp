#pragma once
// What a coverage's file says about its grid: size, georeferencing, CRS and the
// names of its two spatial axes, read by GDAL from the COG (its header only).
#include <array>
#include <gdal.h>

#include <optional>
#include <string>

#include "core/crs.hpp"
#include "core/envelope.hpp"

namespace amis::coverage {

struct CoverageInfo {
  int width = 0;
  int height = 0;
  std::array<double, 6> transform{};  // GDAL's: origin x, x resolution, 0, origin y, 0, y resolution (< 0)
  // The CRS by EPSG code (CRS84 for a WGS 84 longitude/latitude grid, whose axes
  // are then served longitude first); nullopt for a CRS without a code.
  std::optional<core::Crs> crs;
  std::string crs_wkt;
  bool geographic = false;
  std::string x_label;  // "Lon" or "E"
  std::string y_label;  // "Lat" or "N"
  std::string uom;      // "deg" or "m" (the CRS's linear unit otherwise)
  std::string data_type;  // of the first band: "Float32", ...
  int band_count = 0;
  int overviews = 0;

  core::Envelope envelope() const;  // in the coverage's CRS, x/y order
  double resolution_x() const { return transform[1]; }
  double resolution_y() const { return -transform[5]; }  // positive
  // "http://www.opengis.net/def/crs/..." or, without a code, empty.
  std::string crs_uri() const { return crs ? crs->uri() : std::string(); }
};

// @throws core::ServerError when the file cannot be read, is rotated or has no CRS.
CoverageInfo read_coverage_info(const std::string& path);
// The same from a dataset open already (`path` names it in errors).
CoverageInfo coverage_info_of(GDALDatasetH dataset, const std::string& path);

// Whether `name` names the x (longitude, easting) or y axis of a CRS, in any case:
// the coverage's own labels and the usual aliases (Lon, Long, Longitude, E, x;
// Lat, Latitude, N, y). 0 for x, 1 for y, -1 for neither.
int spatial_axis(const CoverageInfo& info, std::string_view name, bool geographic_names);

}  // namespace amis::coverage
