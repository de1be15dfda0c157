#pragma once
// CoverageJSON (OGC Community Standard 21-069r2) of a coverage result: a Grid domain
// (the cell centres along x and y, the CRS as its referencing system), a parameter per
// band (name, description, unit) and an NdArray range per band (axes y, x; nodata as
// null). Values are written as the shortest text that reads back to the same value of
// the band's type, so a client gets exactly the file's values.
#include <gdal.h>

#include <string>
#include <vector>

#include "coverage/coverage_plan.hpp"
#include "store/store.hpp"

namespace amis::coverage {

inline constexpr const char* kCoverageJsonMediaType = "application/prs.coverage+json";
// Bytes of text counted per value against the limits (a Float64 at full precision,
// its sign, exponent and comma).
inline constexpr int kCoverageJsonBytesPerValue = 24;

// `result` holds the plan's grid (all the source's bands); `bands` are the coverage's.
// @throws core::ServerError when GDAL cannot read the result.
std::string write_coverage_json(GDALDatasetH result, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands);

}  // namespace amis::coverage
