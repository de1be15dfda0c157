#include "query/geometry_literal.hpp"

#include <ogr_api.h>

#include <cmath>
#include <string>

namespace amis::query {
namespace {

void refuse(OGRGeometryH g, const std::string& why) {
  OGR_G_DestroyGeometry(g);
  throw GeometryLiteralError(why);
}

// Why the points of a linestring or ring cannot be a literal (Simple Features:
// a linestring has two points, a ring four and ends where it starts), or "".
std::string curve_problem(OGRGeometryH curve, bool ring) {
  const int n = OGR_G_GetPointCount(curve);
  for (int i = 0; i < n; ++i) {
    const double x = OGR_G_GetX(curve, i), y = OGR_G_GetY(curve, i);
    if (!std::isfinite(x) || !std::isfinite(y)) return "a coordinate is not a finite number";
  }
  if (!ring) return n >= 2 ? "" : "a linestring needs at least 2 points";
  if (n < 4) return "a polygon ring needs at least 4 points (it has " + std::to_string(n) + ")";
  if (OGR_G_GetX(curve, 0) != OGR_G_GetX(curve, n - 1) || OGR_G_GetY(curve, 0) != OGR_G_GetY(curve, n - 1))
    return "a polygon ring must end where it starts";
  return "";
}

// Why `g` is not a geometry a filter can test against, or "": empty parts,
// rings too short or open, coordinates that are not numbers. Rings that cross
// are taken: the CQL2 standard's own examples (46, 49) have such polygons.
std::string literal_problem(OGRGeometryH g) {
  const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
  switch (type) {
    case wkbPoint:
      if (OGR_G_IsEmpty(g)) return "an empty point";
      return std::isfinite(OGR_G_GetX(g, 0)) && std::isfinite(OGR_G_GetY(g, 0)) ? ""
                                                                                 : "a coordinate is not a finite number";
    case wkbLineString: return curve_problem(g, false);
    case wkbPolygon: {
      const int rings = OGR_G_GetGeometryCount(g);
      if (rings == 0) return "an empty polygon";
      for (int i = 0; i < rings; ++i)
        if (auto why = curve_problem(OGR_G_GetGeometryRef(g, i), true); !why.empty()) return why;
      return "";
    }
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      const int parts = OGR_G_GetGeometryCount(g);
      if (parts == 0) return "an empty collection";
      for (int i = 0; i < parts; ++i)
        if (auto why = literal_problem(OGR_G_GetGeometryRef(g, i)); !why.empty()) return why;
      return "";
    }
    default: return "";  // curves and surfaces: GEOS reads them linearised
  }
}

}  // namespace

Expression geometry_from_ogr(OGRGeometryH g) {
  if (auto why = literal_problem(g); !why.empty()) refuse(g, "invalid geometry: " + why);
  Expression e;
  e.kind = Expression::Kind::Geometry;
  e.wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, e.wkb.data());
  OGR_G_DestroyGeometry(g);
  return e;
}

Expression geometry_from_wkt(const std::string& wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt.c_str());
  if (OGR_G_CreateFromWkt(&text, nullptr, &g) != OGRERR_NONE || !g)
    throw GeometryLiteralError("invalid WKT geometry");
  return geometry_from_ogr(g);
}

Expression geometry_from_geojson(const std::string& geojson) {
  OGRGeometryH g = OGR_G_CreateGeometryFromJson(geojson.c_str());
  if (!g) throw GeometryLiteralError("invalid GeoJSON geometry");
  return geometry_from_ogr(g);
}

Expression envelope_literal(const std::vector<double>& v,
                            const std::function<void(const std::string&)>& fail) {
  Expression e;
  e.kind = Expression::Kind::Envelope;
  if (v.size() == 4) e.envelope = {v[0], v[1], v[2], v[3]};
  else if (v.size() == 6) e.envelope = {v[0], v[1], v[3], v[4]};
  else fail("BBOX takes 4 or 6 numbers");
  if (e.envelope.min_y > e.envelope.max_y) fail("BBOX's lower latitude is above its upper one");
  return e;
}

}  // namespace amis::query
