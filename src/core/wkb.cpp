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

std::size_t count_positions(WkbReader& r, int depth) {
  if (depth > 32) throw WkbError("WKB nesting too deep");
  const auto h = r.header();
  auto skip = [&](std::uint32_t n) {
    for (std::uint32_t i = 0; i < n * static_cast<std::uint32_t>(h.dimensions); ++i) r.f64();
    return std::size_t{n};
  };
  std::size_t total = 0;
  switch (h.type) {
    case WkbType::Point: return skip(1);
    case WkbType::LineString: return skip(r.count());
    case WkbType::Polygon:
      for (std::uint32_t rings = r.count(), i = 0; i < rings; ++i) total += skip(r.count());
      return total;
    default:
      for (std::uint32_t parts = r.count(), i = 0; i < parts; ++i) total += count_positions(r, depth + 1);
      return total;
  }
}

}  // namespace

std::size_t wkb_vertex_count(std::span<const std::uint8_t> wkb) {
  WkbReader reader(wkb);
  return count_positions(reader, 0);
}

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
