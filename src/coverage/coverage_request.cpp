#include "coverage/coverage_request.hpp"

#include "core/error.hpp"
#include "coverage/gdal_handles.hpp"

namespace amis::coverage {

bool is_geographic(const core::Crs& crs, const std::string& parameter) {
  if (crs.is_crs84()) return true;
  SpatialRef srs(OSRNewSpatialReference(nullptr));
  if (OSRImportFromEPSG(static_cast<OGRSpatialReferenceH>(srs.get()), crs.epsg) != OGRERR_NONE)
    throw core::InvalidParameter(parameter, "EPSG:" + std::to_string(crs.epsg) + " is not a CRS this server knows");
  return OSRIsGeographic(static_cast<OGRSpatialReferenceH>(srs.get())) != 0;
}

bool north_first(const core::Crs& crs) {
  if (crs.is_crs84()) return false;
  SpatialRef srs(OSRNewSpatialReference(nullptr));
  auto* h = static_cast<OGRSpatialReferenceH>(srs.get());
  if (OSRImportFromEPSG(h, crs.epsg) != OGRERR_NONE) return false;
  return OSREPSGTreatsAsLatLong(h) || OSREPSGTreatsAsNorthingEasting(h);
}

SpatialSubset spatial_subset(const CoverageInfo& info, const std::vector<AxisSubset>& axes,
                             std::optional<core::Crs> crs, const std::string& parameter) {
  SpatialSubset out;
  out.crs = crs;
  const bool geographic = crs ? is_geographic(*crs, parameter) : info.geographic;
  bool seen[2] = {false, false};
  for (const auto& a : axes) {
    const int axis = spatial_axis(info, a.axis, geographic);
    if (axis < 0)
      throw core::InvalidParameter(parameter, "the coverage has no axis '" + a.axis + "' (its axes are " +
                                                  info.x_label + " and " + info.y_label + ")");
    if (seen[axis]) throw core::InvalidParameter(parameter, "the axis " + a.axis + " is subset twice");
    seen[axis] = true;
    if (a.slice)
      throw core::InvalidParameter(parameter, "slicing " + a.axis +
                                                  " (one coordinate) is not offered: give an interval, low:high");
    (axis == 0 ? out.min_x : out.min_y) = a.low;
    (axis == 0 ? out.max_x : out.max_y) = a.high;
  }
  return out;
}

}  // namespace amis::coverage
