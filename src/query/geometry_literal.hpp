#pragma once
// Geometry literals of filters (WKT in CQL2-Text, GeoJSON in CQL2-JSON, BBOX in
// both) turned into ISO WKB by OGR.
#include <ogr_api.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/expression.hpp"

namespace amis::query {

using core::Expression;

struct GeometryLiteralError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A literal OGR has read (GML in FES filters), checked like the others; takes `g`.
// @throws GeometryLiteralError for a geometry a filter cannot test against: rings
// with fewer than four points or open, linestrings of one point, empty parts,
// coordinates that are not finite (rings that cross are taken, as in CQL2's examples).
Expression geometry_from_ogr(OGRGeometryH g);

// @throws GeometryLiteralError for text OGR cannot read as a geometry, or as above.
Expression geometry_from_wkt(const std::string& wkt);
Expression geometry_from_geojson(const std::string& geojson);

// BBOX(minx, miny, maxx, maxy) or the 6-number 3D form; `fail` is called (and
// must throw) for any other count or an inverted box.
Expression envelope_literal(const std::vector<double>& numbers,
                            const std::function<void(const std::string&)>& fail);

}  // namespace amis::query
