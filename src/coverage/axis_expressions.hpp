#pragma once
// The axis expressions coverage requests are made of, as OGC API - Coverages and
// WCS 2.0 write them in a query string:
//   OGC API  subset=Lon(100:110),Lat(*:20)     scale-size=Lon(512),Lat(256)
//   WCS 2.0  SUBSET=Long(100,110)  SUBSET=Lat,http://www.opengis.net/def/crs/EPSG/0/4326(5)
//            SCALESIZE=Long(512),Lat(256)      SCALEAXES=Long(2),Lat(2)
// Parsed into typed values here, checked against a coverage's axes later
// (coverage_request.hpp). Every text is bounded: at most kMaxAxes axes, names of
// at most 64 characters, numbers as from_chars reads them (finite only).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amis::coverage {

inline constexpr std::size_t kMaxAxes = 8;

// One axis of a subset: a trim (low..high, either end open with "*") or a slice
// (one point).
struct AxisSubset {
  std::string axis;
  std::optional<double> low;   // nullopt: "*" (the coverage's own end)
  std::optional<double> high;  // nullopt: "*"
  bool slice = false;          // a point: low == high, both set
  std::string crs;             // WCS only: the CRS written in the subset, empty if none
  bool operator==(const AxisSubset&) const = default;
};

// One axis with a number: a scale size, a scale factor or a resolution.
struct AxisValue {
  std::string axis;
  double value = 0;
  bool operator==(const AxisValue&) const = default;
};

// `Lon(100:110),Lat(*:20)` (one or more axes, comma-separated; a point is `Lat(5)`).
// @throws core::InvalidParameter naming `parameter` when the text is not that.
std::vector<AxisSubset> parse_ogcapi_subset(std::string_view text, const std::string& parameter);

// `Long(100,110)`, `Long(5)` or `Long,<crs>(100,110)`: one WCS 2.0 SUBSET value.
// @throws core::InvalidParameter naming `parameter` when the text is not that.
AxisSubset parse_wcs_subset(std::string_view text, const std::string& parameter);

// `Lon(512),Lat(256)`: numbers by axis (an empty `Lon()` is refused).
// @throws core::InvalidParameter naming `parameter` when the text is not that.
std::vector<AxisValue> parse_axis_values(std::string_view text, const std::string& parameter);

// A finite number written in full ("12", "-3.5e2"); nullopt for anything else.
std::optional<double> parse_number(std::string_view text);

}  // namespace amis::coverage
