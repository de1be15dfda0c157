#pragma once
// A grid becoming a coverage's file, the same for `amis raster add` and for a
// member state's upload: GDAL must read it (any format it knows), it must be
// georeferenced in a CRS PROJ knows, within the size bounds; it is written as a
// COG (cog_writer) with its bands' metadata and its box in CRS84.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "coverage/cog_writer.hpp"
#include "store/store.hpp"

namespace amis::coverage {

// At most this many cells (width x height x bands) in a grid taken in.
inline constexpr std::int64_t kMaxImportCells = std::int64_t{1} << 31;

// What was read from a source grid and written as a COG.
struct ImportedGrid {
  std::vector<store::RasterBand> bands;
  core::Envelope extent;  // CRS84
  int width = 0, height = 0;
  std::string driver;  // GDAL's short name of the source's format ("GTiff", "AAIGrid", ...)
  std::string crs;     // the source CRS's name
};

// Checks `source` and writes it as a COG at `target` (through a temporary file),
// with `labels` (empty: the source's own names, units and descriptions).
// @throws core::InvalidValue(locator) when GDAL cannot read it as a grid, it has
// no band, no georeferencing or an unknown CRS, or is larger than kMaxImportCells;
// std::runtime_error when the COG cannot be written.
ImportedGrid import_grid(const std::filesystem::path& source, const BandLabels& labels,
                         const std::filesystem::path& target, const std::string& locator);

}  // namespace amis::coverage
