#pragma once
// ISO WKB straight to a GeoJSON geometry object (RFC 7946), no objects in between.
#include <cstdint>
#include <span>
#include <string>

namespace amis::encode {

class CoordinateTransform;

// Appends the geometry, or `null` for empty input. Z is kept, M is dropped.
// With a transform, coordinates are reprojected (in the target CRS's axis order).
// @throws core::WkbError for malformed WKB, or a position the target CRS cannot
// represent (the caller writes such a geometry as null).
void append_geojson_geometry(std::string& out, std::span<const std::uint8_t> wkb,
                             const CoordinateTransform* transform = nullptr);

}  // namespace amis::encode
