#pragma once
// The values of a coverage's bands at one point, as gdallocationinfo reads them: the
// point is put into the coverage's CRS and the cell holding it is read, one value
// per band (nodata and NaN as nullopt).
#include <gdal.h>

#include <optional>
#include <string>
#include <vector>

#include "core/crs.hpp"
#include "coverage/coverage_info.hpp"

namespace amis::coverage {

struct PointValues {
  int column = 0, row = 0;                     // the cell, from the top-left
  std::vector<std::optional<double>> values;   // one per band, in the file's order
};

// nullopt when the point lies outside the coverage (or cannot be put into its CRS).
// `x`/`y` are in `crs`, longitude/easting first.
// @throws core::ServerError when the file cannot be read.
std::optional<PointValues> values_at(const std::string& path, const CoverageInfo& info, const core::Crs& crs,
                                     double x, double y);
// The same on a dataset open already (OpenGrids); `path` names it in errors.
std::optional<PointValues> values_at(GDALDatasetH dataset, const std::string& path, const CoverageInfo& info,
                                     const core::Crs& crs, double x, double y);
// The cell holding (x, y), given in the coverage's own CRS.
std::optional<PointValues> cell_values(GDALDatasetH dataset, const std::string& path, const CoverageInfo& info,
                                       double x, double y);

}  // namespace amis::coverage
