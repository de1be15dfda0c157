#include "core/sphere_distance.hpp"

#include <geos_c.h>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

#include "core/geos_context.hpp"
#include "core/wkb.hpp"

namespace amis::core {
namespace {

using Vec = std::array<double, 3>;  // a point of the unit sphere

constexpr double kRadians = std::numbers::pi / 180;

Vec unit(double lon, double lat) {
  const double l = lon * kRadians, p = lat * kRadians;
  return {std::cos(p) * std::cos(l), std::cos(p) * std::sin(l), std::sin(p)};
}
Vec cross(const Vec& a, const Vec& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec& a) { return std::sqrt(dot(a, a)); }

// The angle between two points of the sphere (stable for small and large angles).
double angle(const Vec& a, const Vec& b) { return std::atan2(norm(cross(a, b)), dot(a, b)); }

// The angle from p to the minor great-circle arc from a to b.
double angle_to_arc(const Vec& p, const Vec& a, const Vec& b) {
  const double ends = std::min(angle(p, a), angle(p, b));
  Vec n = cross(a, b);
  const double length = norm(n);
  if (length < 1e-15) return ends;  // a degenerate arc
  for (auto& v : n) v /= length;
  const double off = dot(p, n);
  Vec c{p[0] - off * n[0], p[1] - off * n[1], p[2] - off * n[2]};  // p projected on the great circle
  if (norm(c) < 1e-15) return ends;  // p is a pole of the circle: every point is as far
  // c lies on the arc when it is between a and b, turning the way a turns to b.
  if (dot(cross(a, c), n) >= 0 && dot(cross(c, b), n) >= 0) return angle(p, c);
  return ends;
}

struct Shape {
  std::vector<Vec> vertices;
  std::vector<std::pair<Vec, Vec>> segments;
};

void read_points(WkbReader& r, int dims, std::uint32_t n, Shape& shape, bool linked) {
  for (std::uint32_t i = 0; i < n; ++i) {
    const double x = r.f64(), y = r.f64();
    for (int d = 2; d < dims; ++d) r.f64();
    if (std::isnan(x) || std::isnan(y)) continue;  // POINT EMPTY
    const Vec v = unit(x, y);
    if (linked && i > 0) shape.segments.emplace_back(shape.vertices.back(), v);
    shape.vertices.push_back(v);
  }
}

void read_shape(WkbReader& r, Shape& shape, int depth) {
  if (depth > 8) throw WkbError("WKB nests too deeply");
  const auto h = r.header();
  switch (h.type) {
    case WkbType::Point: read_points(r, h.dimensions, 1, shape, false); break;
    case WkbType::LineString: read_points(r, h.dimensions, r.count(), shape, true); break;
    case WkbType::Polygon:
      for (std::uint32_t rings = r.count(), i = 0; i < rings; ++i) {
        // A ring's first vertex starts a new chain: link only within the ring.
        Shape ring;
        read_points(r, h.dimensions, r.count(), ring, true);
        shape.vertices.insert(shape.vertices.end(), ring.vertices.begin(), ring.vertices.end());
        shape.segments.insert(shape.segments.end(), ring.segments.begin(), ring.segments.end());
      }
      break;
    default:
      for (std::uint32_t parts = r.count(), i = 0; i < parts; ++i) read_shape(r, shape, depth + 1);
  }
}

Shape shape_of(std::span<const std::uint8_t> wkb) {
  WkbReader r(wkb);
  Shape shape;
  read_shape(r, shape, 0);
  return shape;
}

bool meet_in_plane(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  auto* h = geos_context();
  GEOSGeometry* ga = GEOSGeomFromWKB_buf_r(h, a.data(), a.size());
  GEOSGeometry* gb = ga ? GEOSGeomFromWKB_buf_r(h, b.data(), b.size()) : nullptr;
  const bool meet = gb && GEOSIntersects_r(h, ga, gb) == 1;
  if (gb) GEOSGeom_destroy_r(h, gb);
  if (ga) GEOSGeom_destroy_r(h, ga);
  return meet;
}

double angle_to_shape(const Vec& p, const Shape& s) {
  double best = std::numeric_limits<double>::infinity();
  if (s.segments.empty())
    for (const auto& v : s.vertices) best = std::min(best, angle(p, v));
  for (const auto& [a, b] : s.segments) best = std::min(best, angle_to_arc(p, a, b));
  return best;
}

}  // namespace

double sphere_distance(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  const Shape sa = shape_of(a), sb = shape_of(b);
  if (sa.vertices.empty() || sb.vertices.empty()) return std::numeric_limits<double>::infinity();
  const bool points = sa.segments.empty() && sb.segments.empty();
  if (!points && meet_in_plane(a, b)) return 0;
  double best = std::numeric_limits<double>::infinity();
  for (const auto& v : sa.vertices) best = std::min(best, angle_to_shape(v, sb));
  if (!points)
    for (const auto& v : sb.vertices) best = std::min(best, angle_to_shape(v, sa));
  return best * kMeanEarthRadius;
}

Envelope search_box(const Envelope& e, double metres) {
  if (e.empty()) return e;
  const double r = metres / kMeanEarthRadius;  // radians
  const double slack = 1e-9;
  const double dlat = r / kRadians * (1 + 1e-9) + slack;
  Envelope box{e.min_x, std::max(-90.0, e.min_y - dlat), e.max_x, std::min(90.0, e.max_y + dlat)};
  const double polemost = std::max(std::abs(e.min_y), std::abs(e.max_y));
  if (polemost + dlat >= 90) {  // the circle holds a pole: every longitude
    box.min_x = std::min(box.min_x, -180.0);
    box.max_x = std::max(box.max_x, 180.0);
    return box;
  }
  // On a circle of angular radius r around a point at latitude φ the longitude
  // varies by asin(sin r / cos φ), the most at the polemost latitude.
  const double s = std::sin(r) / std::cos(polemost * kRadians);
  const double dlon = (s >= 1 ? 180.0 : std::asin(s) / kRadians) * (1 + 1e-9) + slack;
  box.min_x -= dlon;
  box.max_x += dlon;
  return box;
}

}  // namespace amis::core
