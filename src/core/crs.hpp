#pragma once
// Coordinate reference systems as OGC API - Features Part 2 names them: URIs
// such as http://www.opengis.net/def/crs/EPSG/0/4326 (or the CURIE [EPSG:4326]).
// CRS84 (longitude, latitude on WGS 84) is the storage CRS of every collection.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amis::core {

struct Crs {
  int epsg = 0;  // 0 for CRS84

  bool is_crs84() const { return epsg == 0; }
  std::string uri() const;
  // The definition PROJ understands: "OGC:CRS84" or "EPSG:n".
  std::string proj_name() const;
  bool operator==(const Crs&) const = default;
};

inline constexpr const char* kCrs84Uri = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

// Parses a CRS URI or CURIE; nullopt for anything else. Whether PROJ knows the
// code is checked by the transformation, not here.
std::optional<Crs> parse_crs(std::string_view text);

// A CRS as WFS, WMS 1.1 and GML name it (`srsName`), where the form of the name
// says the axis order: the URN and http URI forms follow the EPSG order
// (latitude first for EPSG:4326), the older `EPSG:n` and `...epsg.xml#n` forms
// put easting/longitude first. `crs` is CRS84 for any lon/lat form of WGS 84.
struct SrsName {
  Crs crs;
  bool east_north = false;  // x is easting/longitude, whatever the EPSG order says
  std::string text;         // as the client wrote it, for echoing back
};
std::optional<SrsName> parse_srs_name(std::string_view text);

// "urn:ogc:def:crs:EPSG::n" (or the CRS84 URN): the name WFS 2.0 documents use.
std::string crs_urn(const Crs& crs);

// The CRSs each collection lists (Part 2 "crs"): CRS84, EPSG:4326, Web Mercator,
// the UTM zones of the region and the national systems of the member states.
// Any other EPSG code PROJ knows may still be requested.
const std::vector<Crs>& advertised_crs();

}  // namespace amis::core
