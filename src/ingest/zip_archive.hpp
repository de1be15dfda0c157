#pragma once
// The checks an uploaded zip archive passes before GDAL reads it: its central
// directory (APPNOTE 4.3.12, 4.3.16) read here, entry names that stay inside
// the archive, at most so many entries and so many bytes unpacked, no ZIP64,
// and exactly one dataset.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/upload_reader.hpp"

namespace amis::ingest {

struct ZipEntry {
  std::string name;
  std::uint64_t packed = 0;
  std::uint64_t unpacked = 0;
};

// @throws core::InvalidValue for an archive that is damaged or ZIP64.
std::vector<ZipEntry> zip_entries(std::string_view zip);

// False for absolute names, backslashes, ':' and '..' components.
bool safe_entry_name(const std::string& name);

// The one dataset (.shp, .gpkg, .geojson, .json, .fgb, .kml, .csv) of an
// archive that passes every check. @throws core::InvalidValue.
std::string dataset_in_zip(std::string_view zip, const UploadLimits& limits);

}  // namespace amis::ingest
