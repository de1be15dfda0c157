#pragma once
// Runs a coverage plan with GDAL and encodes the result: a native window as GeoTIFF,
// and a scaled or warped one of 16 MB and more, is written while it is sent
// (geotiff_stream.hpp); otherwise the window or warp is a virtual dataset (no pixels
// held), then one pass writes GeoTIFF or PNG into memory whose size the plan's limits
// bound.
#include <gdal.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_sink.hpp"
#include "coverage/coverage_memory.hpp"
#include "coverage/coverage_plan.hpp"
#include "coverage/open_grids.hpp"
#include "store/store.hpp"

namespace amis::coverage {

void free_gdal_buffer(void* data);

// The answer as encoded: GDAL's in-memory file itself (GeoTIFF, PNG; not copied),
// CoverageJSON's text, or a native GeoTIFF window's writer, with the bytes it holds
// (the whole answer, or the writer's row buffer) in the process's budget until it
// is destroyed, so after it has been sent (coverage_memory.hpp).
struct EncodedCoverage {
  std::string media_type;  // "image/tiff; application=geotiff", "image/png" or CoverageJSON's
  std::string text;        // CoverageJSON
  std::unique_ptr<unsigned char, void (*)(void*)> file{nullptr, &free_gdal_buffer};
  std::size_t file_size = 0;
  CoverageMemory::Reservation held;
  // Set for a streamed answer: writes its streamed_size bytes, reading as it goes.
  std::function<void(core::ByteSink&)> write;
  std::uint64_t streamed_size = 0;

  std::string_view bytes() const {
    return file ? std::string_view(reinterpret_cast<const char*>(file.get()), file_size) : std::string_view(text);
  }
};

// `bands` are the coverage's (for PNG, each selected band is stretched from its
// range to 0..255; values outside are clipped). GeoTIFF is written uncompressed
// (as MapServer and GeoServer answer): DEFLATE took two thirds of a window's time
// for an eighth less of bytes on a grid of measurements. The answer's bytes are
// reserved from coverage_memory() before any pixel is read.
// @throws core::ServiceBusy when the budget stayed full (503).
// @throws core::ServerError when GDAL fails.
// `source` is an open dataset of the coverage's file, used by this thread alone
// until the call returns.
EncodedCoverage encode_coverage(GDALDatasetH source, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands);

// The same on a dataset of `path` leased from `grids` (OpenGrids: the header is read
// once) for the encoding only: it goes back to the grid's other requests before the
// answer is sent. A native GeoTIFF window is read when it is written (`write`), a
// row of tiles at a time, each on a dataset leased for that row, its tiles shared
// with the grid's other datasets (decoded_tiles()).
EncodedCoverage encode_coverage(OpenGrids& grids, const std::string& path, const CoveragePlan& plan,
                                const std::vector<store::RasterBand>& bands);

inline constexpr const char* kGeoTiffMediaType = "image/tiff; application=geotiff";

}  // namespace amis::coverage
