#pragma once
// Runs a coverage plan with GDAL and encodes the result: the window or warp is a
// virtual dataset (no pixels held), then one pass writes GeoTIFF or PNG into
// memory whose size the plan's limits bound.
#include <string>
#include <vector>

#include "coverage/coverage_plan.hpp"
#include "store/store.hpp"

namespace amis::coverage {

struct EncodedCoverage {
  std::string bytes;
  std::string media_type;  // "image/tiff; application=geotiff", "image/png" or CoverageJSON's
};

// `bands` are the coverage's (for PNG, each selected band is stretched from its
// range to 0..255; values outside are clipped).
// @throws core::ServerError when GDAL fails.
EncodedCoverage encode_coverage(const std::string& path, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands);

inline constexpr const char* kGeoTiffMediaType = "image/tiff; application=geotiff";

}  // namespace amis::coverage
