#pragma once
// ISO WKB straight to a GML geometry (GML 3.2.1 or 3.1.1), as WFS GetFeature and
// GetPropertyValue write them: Point, LineString, Polygon, MultiPoint, MultiCurve,
// MultiSurface and MultiGeometry, coordinates in posList/pos.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace amis::encode {

class CoordinateTransform;

enum class GmlVersion { V3_1_1, V3_2 };

// How positions are written: reprojected by `transform` (in the target CRS's
// axis order) or, without one, as stored (lon, lat) with x and y swapped when
// `swap_xy` (EPSG:4326 in its own latitude-first order, no PROJ needed).
struct GmlCoordinates {
  GmlVersion version = GmlVersion::V3_2;
  std::string srs_name;
  const CoordinateTransform* transform = nullptr;
  bool swap_xy = false;
};

// The box of the positions written, in the order they are written (the output
// CRS's axis order): what a feature's gml:boundedBy says.
struct GmlEnvelope {
  double min_x = std::numeric_limits<double>::infinity(), min_y = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity(), max_y = -std::numeric_limits<double>::infinity();
  bool empty() const { return !(min_x <= max_x && min_y <= max_y); }
};

// Appends the geometry element. `gml_id` is the id of the outer geometry (GML 3.2
// requires one on every geometry; members get `<gml_id>.<n>`). With `envelope`,
// widens it to every position written.
// @throws core::WkbError for malformed WKB or a position the CRS cannot represent.
void append_gml_geometry(std::string& out, std::span<const std::uint8_t> wkb,
                         const GmlCoordinates& coordinates, std::string_view gml_id,
                         GmlEnvelope* envelope = nullptr);

}  // namespace amis::encode
