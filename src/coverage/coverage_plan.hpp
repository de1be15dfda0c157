#pragma once
// How a coverage request is answered, decided before any pixel is read: either a
// window of the file's own cells (the coverage's CRS, read by gdal_translate's
// machinery, identical to the source at native resolution, scaled through the
// COG's overviews otherwise) or a warp to another CRS (gdalwarp's). Both end at a
// known output size, checked against the limits.
#include <string>
#include <vector>

#include "core/envelope.hpp"
#include "core/error.hpp"
#include "coverage/coverage_request.hpp"

namespace amis::coverage {

struct CoveragePlan {
  bool warp = false;
  // The window of source cells (warp == false).
  int src_x = 0, src_y = 0, src_width = 0, src_height = 0;
  // The box in the output CRS (both kinds), x/y order.
  core::Envelope box;
  std::optional<core::Crs> crs;  // of the output; nullopt: the coverage's (a CRS without a code)
  std::string target_srs;         // the output CRS as GDAL reads it (warp == true)
  std::int64_t width = 0, height = 0;
  std::vector<int> bands;  // 1-based
  Interpolation interpolation = Interpolation::Nearest;
  Encoding encoding = Encoding::GeoTiff;
};

// @throws core::InvalidParameter for a request that contradicts itself or the
// coverage, core::NotFound (404) when the subset lies outside the coverage, and
// ResponseTooLarge (413) beyond `limits`.
CoveragePlan plan_coverage(const CoverageInfo& info, const CoverageRequest& request, const CoverageLimits& limits);

// A response bigger than the configured limits (413).
struct ResponseTooLarge : core::OgcError {
  explicit ResponseTooLarge(const std::string& what) : core::OgcError(413, "ResponseTooLarge", what) {}
};

}  // namespace amis::coverage
