#pragma once
// Grids into the store: any raster GDAL reads becomes a Cloud Optimized GeoTIFF
// (GDAL's COG driver: 512-cell tiles, DEFLATE, overviews by averaging) and its
// bands' names, units, nodata values, descriptions and ranges are read for the store.
#include <gdal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace amis::coverage {

// What names, units and descriptions the caller gives (empty: the source's own).
struct BandLabels {
  std::vector<std::string> names;
  std::vector<std::string> units;
  std::vector<std::string> descriptions;
  // Labels for as many bands as the source has, or else none (the source's own).
  bool only_if_they_fit = false;
};

// The bands of `source` with their metadata and exact ranges; a name missing from
// the source is "band<n>". Names are made of letters, digits, '_', '-' and '.'
// (others become '_') and are unique.
// @throws std::runtime_error when a band cannot be read or labels do not fit.
std::vector<store::RasterBand> read_bands(GDALDatasetH source, const BandLabels& labels);

// Writes `source` as a COG at `target` (through a temporary file beside it, renamed
// when complete), with the bands' names, units and descriptions.
// @throws std::runtime_error when GDAL cannot write it.
void write_cog(GDALDatasetH source, const std::vector<store::RasterBand>& bands, const std::filesystem::path& target);

}  // namespace amis::coverage
