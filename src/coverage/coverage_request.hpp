#pragma once
// A request for (part of) a coverage, whatever protocol asked for it (OGC API -
// Coverages or WCS 2.0): which box, in which CRS, at what size, which bands, how
// resampled and encoded. The protocols build it from their parameters.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/crs.hpp"
#include "coverage/axis_expressions.hpp"
#include "coverage/coverage_info.hpp"

namespace amis::coverage {

enum class Interpolation { Nearest, Linear, Cubic };
enum class Encoding { GeoTiff, Png, CoverageJson };

// Bounds on the two spatial axes, in `crs` (x is longitude or easting); an
// unset bound is the coverage's own.
struct SpatialSubset {
  std::optional<double> min_x, max_x, min_y, max_y;
  std::optional<core::Crs> crs;  // nullopt: the coverage's CRS
  bool any() const { return min_x || max_x || min_y || max_y; }
};

// At most one way per axis: a size in cells, a factor (2 = half as many cells) or
// a resolution in the output CRS's units.
struct OutputScale {
  std::optional<std::int64_t> width, height;
  std::optional<double> factor_x, factor_y;
  std::optional<double> resolution_x, resolution_y;
  bool any() const { return width || height || factor_x || factor_y || resolution_x || resolution_y; }
};

struct CoverageRequest {
  SpatialSubset subset;
  std::optional<core::Crs> output_crs;  // nullopt: the coverage's
  OutputScale scale;
  std::vector<int> bands;  // 1-based, in output order; empty: all
  Interpolation interpolation = Interpolation::Nearest;
  Encoding encoding = Encoding::GeoTiff;
  // The output covers the subset's box (all four bounds set, in the output CRS
  // once transformed) exactly, at the asked size or resolution, as WCS 1.0 and
  // map clients ask: a window of the file when the box falls on its cell edges,
  // a warp onto that grid otherwise.
  bool exact_box = false;
};

// What one response may hold, checked before any pixel is read.
struct CoverageLimits {
  std::int64_t max_bytes = std::int64_t{256} << 20;  // width x height x bands x bytes per value
  std::int64_t max_cells_per_axis = 32768;
};

// Puts the axes of a parsed subset onto x and y of `crs` (the coverage's when
// nullopt): names as spatial_axis() knows them. A slice or an axis named twice or
// unknown is refused.
// @throws core::InvalidParameter naming `parameter`.
SpatialSubset spatial_subset(const CoverageInfo& info, const std::vector<AxisSubset>& axes,
                             std::optional<core::Crs> crs, const std::string& parameter);

// Whether a CRS is geographic (its axes latitude and longitude).
// @throws core::InvalidParameter naming `parameter` for a CRS PROJ does not know.
bool is_geographic(const core::Crs& crs, const std::string& parameter);

// Whether EPSG's order for the CRS puts latitude or northing first (EPSG:4326).
bool north_first(const core::Crs& crs);

}  // namespace amis::coverage
