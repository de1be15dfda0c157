#pragma once
// A window at native resolution as an uncompressed GeoTIFF written front to back,
// so that it is sent while it is read and the answer never sits whole in memory.
// GDAL writes a GeoTIFF's directory last (its strips' offsets are known only
// then), so a GeoTIFF answer used to be encoded whole before its first byte went
// out. Uncompressed, every strip's offset is known in advance: the directory goes
// first, then each band's rows in order (PlanarConfiguration 2 when there are
// several bands). The georeferencing tags (GeoKeys, pixel scale, tie point,
// nodata, GDAL's band metadata) are GDAL's own, taken from a 1 x 1 GeoTIFF that
// GDAL writes with the window's georeferencing and bands.
#include <gdal.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "coverage/coverage_plan.hpp"

namespace amis::coverage {

struct GeoTiffStream {
  std::string head;  // the TIFF header, the directory and its values, up to the first row
  std::uint64_t size = 0;  // of the whole file
  int width = 0, height = 0;
  std::vector<int> bands;  // of the source, 1-based, in the file's order
  GDALDataType type = GDT_Unknown;  // of every band in the file
  int value_bytes = 0;
  int block_height = 0;  // the source's: the rows read at once
};

// The file of `plan`'s window of `source` (the plan is a native window: no warp, no
// scaling), the type of its first band for all; nullopt when a classic TIFF cannot
// hold it (4 GiB) or GDAL writes another byte order than this machine's.
// @throws core::ServerError when GDAL fails.
std::optional<GeoTiffStream> plan_geotiff_stream(GDALDatasetH source, const CoveragePlan& plan);

// Reads rows [y, y + rows) of the window's band `band` (of the source) into `out`,
// as the file's type: rows of `width` values.
using ReadRows = std::function<void(int band, int y, int rows, unsigned char* out)>;

// Writes the file to `sink`: its head, then each band's rows, read through
// `read_rows` a row of source tiles at a time (at most one such buffer held).
void write_geotiff_stream(const GeoTiffStream& file, int src_y, core::ByteSink& sink, const ReadRows& read_rows);

// The bytes one write_geotiff_stream holds at once (its row buffer).
std::int64_t geotiff_stream_buffer_bytes(const GeoTiffStream& file);

}  // namespace amis::coverage
