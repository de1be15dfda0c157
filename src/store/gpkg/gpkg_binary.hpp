#pragma once
// The GeoPackage geometry encoding (GeoPackage 1.3, §2.1.3): a small header with
// an optional envelope, followed by ISO WKB.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/envelope.hpp"

namespace amis::store::gpkg {

struct GpkgGeometry {
  std::span<const std::uint8_t> wkb;
  std::optional<core::Envelope> envelope;  // from the header, when it carries one
  bool empty = false;
  std::int32_t srs_id = 0;
};

// @throws core::WkbError when the blob is not a GeoPackage geometry.
GpkgGeometry parse_gpkg_geometry(std::span<const std::uint8_t> blob);

// Appends header (with an XY envelope unless the geometry is empty) and WKB to `out`.
// @throws core::WkbError for malformed WKB.
void append_gpkg_geometry(std::span<const std::uint8_t> wkb, std::int32_t srs_id,
                          std::vector<std::uint8_t>& out);

// The envelope of a GeoPackage geometry: the header's, or computed from the WKB.
core::Envelope gpkg_envelope(const GpkgGeometry& geometry);

}  // namespace amis::store::gpkg
