#include "core/wkb.hpp"

#include <cmath>

namespace amis::core {
namespace {

void expand_points(WkbReader& r, int dims, std::uint32_t n, Envelope& env) {
  for (std::uint32_t i = 0; i < n; ++i) {
    const double x = r.f64();
    const double y = r.f64();
    for (int d = 2; d < dims; ++d) r.f64();
    if (!std::isnan(x) && !std::isnan(y)) env.expand(x, y);  // NaN: an empty point
  }
}

void expand_geometry(WkbReader& r, Envelope& env, int depth) {
  if (depth > 32) throw WkbError("WKB nesting too deep");
  const auto h = r.header();
  switch (h.type) {
    case WkbType::Point: expand_points(r, h.dimensions, 1, env); break;
    case WkbType::LineString: expand_points(r, h.dimensions, r.count(), env); break;
    case WkbType::Polygon: {
      const auto rings = r.count();
      for (std::uint32_t i = 0; i < rings; ++i) expand_points(r, h.dimensions, r.count(), env);
      break;
    }
    default: {
      const auto parts = r.count();
      for (std::uint32_t i = 0; i < parts; ++i) expand_geometry(r, env, depth + 1);
    }
  }
}

}  // namespace

Envelope wkb_envelope(std::span<const std::uint8_t> wkb) {
  Envelope env;
  WkbReader reader(wkb);
  expand_geometry(reader, env, 0);
  return env;
}

const char* wkb_type_name(WkbType type) {
  switch (type) {
    case WkbType::Point: return "POINT";
    case WkbType::LineString: return "LINESTRING";
    case WkbType::Polygon: return "POLYGON";
    case WkbType::MultiPoint: return "MULTIPOINT";
    case WkbType::MultiLineString: return "MULTILINESTRING";
    case WkbType::MultiPolygon: return "MULTIPOLYGON";
    case WkbType::GeometryCollection: return "GEOMETRYCOLLECTION";
  }
  return "GEOMETRY";
}

}  // namespace amis::core
