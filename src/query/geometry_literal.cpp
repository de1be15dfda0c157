#include "query/geometry_literal.hpp"

#include <ogr_api.h>

namespace amis::query {
namespace {

Expression from_ogr(OGRGeometryH g) {
  Expression e;
  e.kind = Expression::Kind::Geometry;
  e.wkb.resize(static_cast<size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, e.wkb.data());
  OGR_G_DestroyGeometry(g);
  return e;
}

}  // namespace

Expression geometry_from_wkt(const std::string& wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt.c_str());
  if (OGR_G_CreateFromWkt(&text, nullptr, &g) != OGRERR_NONE || !g)
    throw GeometryLiteralError("invalid WKT geometry");
  return from_ogr(g);
}

Expression geometry_from_geojson(const std::string& geojson) {
  OGRGeometryH g = OGR_G_CreateGeometryFromJson(geojson.c_str());
  if (!g) throw GeometryLiteralError("invalid GeoJSON geometry");
  return from_ogr(g);
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
