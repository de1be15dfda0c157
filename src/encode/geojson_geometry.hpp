#pragma once
// ISO WKB straight to a GeoJSON geometry object (RFC 7946), no objects in between.
#include <cstdint>
#include <span>
#include <string>

namespace amis::encode {

// Appends the geometry, or `null` for empty input. Z is kept, M is dropped.
// @throws core::WkbError for malformed WKB.
void append_geojson_geometry(std::string& out, std::span<const std::uint8_t> wkb);

}  // namespace amis::encode
