#pragma once
// Reprojection of coordinate arrays from CRS84 (the storage CRS) to a requested
// CRS with PROJ, in that CRS's own axis order (latitude first for EPSG:4326).
#include <memory>
#include <span>

#include "core/crs.hpp"
#include "core/envelope.hpp"

namespace amis::encode {

// Valid on the thread that made it (PROJ objects are per thread); a request's
// transform lives for the request, on the connection's thread.
class CoordinateTransform {
 public:
  // @throws core::InvalidParameter(parameter, ...) when PROJ does not know the CRS.
  // `inverse`: from `crs` to CRS84 instead. `east_north`: easting/longitude
  // first whatever the CRS's axis order (the `EPSG:n` form of WFS and WMS 1.1).
  CoordinateTransform(const core::Crs& crs, const char* parameter, bool inverse = false,
                      bool east_north = false);
  ~CoordinateTransform();
  CoordinateTransform(const CoordinateTransform&) = delete;
  CoordinateTransform& operator=(const CoordinateTransform&) = delete;

  // Transforms in place n points with the given stride (in doubles) between x's.
  void transform(double* x, double* y, std::size_t n, std::size_t stride) const;

  // The CRS84 envelope of a box given in `crs` (axis order of the CRS), densified
  // along the edges. Only for inverse transforms.
  core::Envelope to_crs84_bounds(double a_min, double b_min, double a_max, double b_max) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// True when the CRS's first axis points north (EPSG:4326 and most geographic
// CRSs, some national grids): WMS 1.3 and WFS 2.0 boxes then come north first.
bool north_first(const core::Crs& crs);

// True when the CRS's units are degrees (CRS84, EPSG:4326, 4490, ...).
bool geographic(const core::Crs& crs);

}  // namespace amis::encode
