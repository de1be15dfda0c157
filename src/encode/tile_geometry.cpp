#include "encode/tile_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <geos_c.h>

#include "core/geos_context.hpp"

namespace amis::encode {
namespace {

// The latitude where EPSG:3857's square world ends.
constexpr double kMercatorMaxLatitude = 85.0511287798066;

TilePoint snap(double x, double y) {
  return {static_cast<std::int32_t>(std::lround(x)), static_cast<std::int32_t>(std::lround(y))};
}

GEOSContextHandle_t geos() { return core::geos_context(); }

struct GeosDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(geos(), g); }
};
using GeosGeometry = std::unique_ptr<GEOSGeometry, GeosDeleter>;

// A closed GEOS ring of a tile ring (which MVT keeps open).
GEOSGeometry* geos_ring(const std::vector<TilePoint>& ring) {
  auto* ctx = geos();
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(ring.size() + 1), 2);
  for (std::size_t i = 0; i <= ring.size(); ++i) {
    const auto& p = ring[i % ring.size()];
    GEOSCoordSeq_setXY_r(ctx, seq, static_cast<unsigned>(i), p.x, p.y);
  }
  return GEOSGeom_createLinearRing_r(ctx, seq);
}

// The ring's positions back on the grid, open again.
std::vector<TilePoint> tile_ring(const GEOSGeometry* ring) {
  auto* ctx = geos();
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
  unsigned n = 0;
  GEOSCoordSeq_getSize_r(ctx, seq, &n);
  std::vector<TilePoint> out;
  for (unsigned i = 0; i + 1 < n; ++i) {
    double x = 0, y = 0;
    GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
    out.push_back({static_cast<std::int32_t>(std::lround(x)), static_cast<std::int32_t>(std::lround(y))});
  }
  return out;
}

std::int64_t doubled_area(const std::vector<TilePoint>& ring);

// The polygons of `parts` (each exterior, positive, followed by its holes) with the
// vertices within `tolerance` of their neighbours' line removed, topology kept; the
// parts unchanged when GEOS cannot, or when its result is not a valid polygon.
void simplify_polygons(std::vector<std::vector<TilePoint>>& parts, double tolerance) {
  auto* ctx = geos();
  std::vector<GEOSGeometry*> polygons;
  for (std::size_t i = 0; i < parts.size();) {
    GEOSGeometry* shell = geos_ring(parts[i]);
    std::vector<GEOSGeometry*> holes;
    for (++i; i < parts.size() && doubled_area(parts[i]) < 0; ++i) holes.push_back(geos_ring(parts[i]));
    polygons.push_back(GEOSGeom_createPolygon_r(ctx, shell, holes.data(), static_cast<unsigned>(holes.size())));
  }
  GeosGeometry all(GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polygons.data(),
                                               static_cast<unsigned>(polygons.size())));
  if (!all) return;
  GeosGeometry simple(GEOSTopologyPreserveSimplify_r(ctx, all.get(), tolerance));
  // GEOS's simplifier keeps rings from crossing, but (GEOS 3.11) not a hole from ending
  // up wholly outside a shell that was straightened past it: such a result is not used.
  if (!simple || GEOSisValid_r(ctx, simple.get()) != 1) return;
  std::vector<std::vector<TilePoint>> out;
  for (int p = 0, np = GEOSGetNumGeometries_r(ctx, simple.get()); p < np; ++p) {
    const GEOSGeometry* polygon = GEOSGetGeometryN_r(ctx, simple.get(), p);
    if (GEOSGeomTypeId_r(ctx, polygon) != GEOS_POLYGON) return;
    auto shell = tile_ring(GEOSGetExteriorRing_r(ctx, polygon));
    const auto shell_area = shell.size() >= 3 ? doubled_area(shell) : 0;
    if (shell_area == 0) continue;
    if (shell_area < 0) std::reverse(shell.begin(), shell.end());
    out.push_back(std::move(shell));
    for (int h = 0, nh = GEOSGetNumInteriorRings_r(ctx, polygon); h < nh; ++h) {
      auto hole = tile_ring(GEOSGetInteriorRingN_r(ctx, polygon, h));
      const auto area = hole.size() >= 3 ? doubled_area(hole) : 0;
      if (area == 0) continue;
      if (area > 0) std::reverse(hole.begin(), hole.end());
      out.push_back(std::move(hole));
    }
  }
  parts = std::move(out);
}

// Twice the signed area by the surveyor's formula, in tile units (y down).
std::int64_t doubled_area(const std::vector<TilePoint>& ring) {
  std::int64_t sum = 0;
  for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
    const auto& a = ring[i];
    const auto& b = ring[(i + 1) % n];
    sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
  }
  return sum;
}

// One Sutherland-Hodgman pass: keeps the part of the ring where
// `inside(x, y)` holds, cutting edges at `coordinate` on `axis` (0 x, 1 y).
template <typename Inside>
void clip_ring_edge(const std::vector<double>& in, std::vector<double>& out, int axis, double coordinate,
                    Inside inside) {
  out.clear();
  const std::size_t n = in.size() / 2;
  if (n == 0) return;
  for (std::size_t i = 0; i < n; ++i) {
    const double* a = &in[((i + n - 1) % n) * 2];
    const double* b = &in[i * 2];
    const bool a_in = inside(a[axis]);
    const bool b_in = inside(b[axis]);
    if (a_in != b_in) {
      const double t = (coordinate - a[axis]) / (b[axis] - a[axis]);
      out.push_back(axis == 0 ? coordinate : a[0] + t * (b[0] - a[0]));
      out.push_back(axis == 1 ? coordinate : a[1] + t * (b[1] - a[1]));
    }
    if (b_in) {
      out.push_back(b[0]);
      out.push_back(b[1]);
    }
  }
}

// Liang-Barsky: clips the segment a-b to the square [lo, hi]²; false when
// nothing of it is inside. On true, t0/t1 are where the kept part starts and ends.
bool clip_segment(const double* a, const double* b, double lo, double hi, double& t0, double& t1) {
  t0 = 0;
  t1 = 1;
  const double d[2] = {b[0] - a[0], b[1] - a[1]};
  for (int axis = 0; axis < 2; ++axis) {
    const double p[2] = {-d[axis], d[axis]};
    const double q[2] = {a[axis] - lo, hi - a[axis]};
    for (int k = 0; k < 2; ++k) {
      if (p[k] == 0) {
        if (q[k] < 0) return false;
        continue;
      }
      const double r = q[k] / p[k];
      if (p[k] < 0) t0 = std::max(t0, r);
      else t1 = std::min(t1, r);
    }
  }
  return t0 <= t1;
}

}  // namespace

bool TileGeometryBuilder::build(std::span<const std::uint8_t> wkb, TileGeometry& out) {
  out.parts.clear();
  try {
    core::WkbReader reader(wkb);
    geometry(reader, out, 0);
  } catch (const core::WkbError&) {
    out.parts.clear();
    return false;
  }
  // Small polygons are left as they are: there is nothing to gain.
  std::size_t vertices = 0;
  for (const auto& p : out.parts) vertices += p.size();
  if (frame_.simplify > 0 && out.type == TileGeometryType::Polygon && vertices > 32)
    simplify_polygons(out.parts, frame_.simplify);
  return !out.parts.empty();
}

void TileGeometryBuilder::geometry(core::WkbReader& reader, TileGeometry& out, int depth) {
  if (depth > 32) throw core::WkbError("WKB nesting too deep");
  const auto h = reader.header();
  // A feature of a vector tile has one type: the first kept member sets it.
  auto accepts = [&out](TileGeometryType type) {
    if (out.parts.empty()) out.type = type;
    return out.type == type;
  };
  switch (h.type) {
    case core::WkbType::Point:
      read_positions(reader, 1, h.dimensions);
      if (accepts(TileGeometryType::Point)) add_points(out);
      break;
    case core::WkbType::LineString:
      read_positions(reader, reader.count(), h.dimensions);
      if (accepts(TileGeometryType::LineString)) add_line(out);
      break;
    case core::WkbType::Polygon: {
      const bool keep = accepts(TileGeometryType::Polygon);
      bool exterior_kept = false;
      for (std::uint32_t n = reader.count(), i = 0; i < n; ++i) {
        read_positions(reader, reader.count(), h.dimensions);
        if (!keep) continue;
        if (i == 0) exterior_kept = add_ring(out, true);
        else if (exterior_kept) add_ring(out, false);
      }
      break;
    }
    default:
      for (std::uint32_t n = reader.count(), i = 0; i < n; ++i) geometry(reader, out, depth + 1);
  }
}

void TileGeometryBuilder::read_positions(core::WkbReader& reader, std::uint32_t n, int dimensions) {
  xy_.resize(static_cast<std::size_t>(n) * 2);
  for (std::uint32_t i = 0; i < n; ++i) {
    xy_[i * 2] = reader.f64();
    xy_[i * 2 + 1] = reader.f64();
    for (int k = 2; k < dimensions; ++k) reader.f64();
    if (frame_.mercator) xy_[i * 2 + 1] = std::clamp(xy_[i * 2 + 1], -kMercatorMaxLatitude, kMercatorMaxLatitude);
  }
  if (transform_ && n > 0) transform_->transform(xy_.data(), xy_.data() + 1, n, 2);
  const auto& b = frame_.bounds;
  const double sx = frame_.extent / (b.max_x - b.min_x);
  const double sy = frame_.extent / (b.max_y - b.min_y);
  for (std::uint32_t i = 0; i < n; ++i) {
    xy_[i * 2] = (xy_[i * 2] - b.min_x) * sx;
    xy_[i * 2 + 1] = (b.max_y - xy_[i * 2 + 1]) * sy;
  }
}

void TileGeometryBuilder::add_points(TileGeometry& out) {
  const double lo = -frame_.buffer, hi = frame_.extent + frame_.buffer;
  for (std::size_t i = 0; i + 1 < xy_.size(); i += 2) {
    const double x = xy_[i], y = xy_[i + 1];
    if (!(x >= lo && x <= hi && y >= lo && y <= hi)) continue;  // also drops NaN
    if (out.parts.empty()) out.parts.emplace_back();
    out.parts.front().push_back(snap(x, y));
  }
}

void TileGeometryBuilder::add_snapped_part(TileGeometry& out, const double* xy, std::size_t n,
                                           std::size_t min_points) {
  snapped_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    const auto p = snap(xy[i * 2], xy[i * 2 + 1]);
    if (snapped_.empty() || !(snapped_.back() == p)) snapped_.push_back(p);
  }
  if (snapped_.size() >= min_points) out.parts.push_back(snapped_);
}

void TileGeometryBuilder::add_line(TileGeometry& out) {
  const double lo = -frame_.buffer, hi = frame_.extent + frame_.buffer;
  clipped_.clear();
  auto flush = [&] {
    add_snapped_part(out, clipped_.data(), clipped_.size() / 2, 2);
    clipped_.clear();
  };
  const std::size_t n = xy_.size() / 2;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double* a = &xy_[i * 2];
    const double* b = &xy_[(i + 1) * 2];
    double t0, t1;
    if (!clip_segment(a, b, lo, hi, t0, t1)) {
      flush();
      continue;
    }
    if (clipped_.empty() || t0 > 0) {
      if (t0 > 0) flush();
      clipped_.push_back(a[0] + t0 * (b[0] - a[0]));
      clipped_.push_back(a[1] + t0 * (b[1] - a[1]));
    }
    clipped_.push_back(a[0] + t1 * (b[0] - a[0]));
    clipped_.push_back(a[1] + t1 * (b[1] - a[1]));
    if (t1 < 1) flush();
  }
  flush();
}

bool TileGeometryBuilder::add_ring(TileGeometry& out, bool exterior) {
  // An explicitly closed ring: the last position repeats the first.
  if (xy_.size() >= 4 && xy_[0] == xy_[xy_.size() - 2] && xy_[1] == xy_.back()) xy_.resize(xy_.size() - 2);
  const double lo = -frame_.buffer, hi = frame_.extent + frame_.buffer;
  core::Envelope box;
  for (std::size_t i = 0; i + 1 < xy_.size(); i += 2) box.expand(xy_[i], xy_[i + 1]);
  if (box.empty() || box.max_x < lo || box.min_x > hi || box.max_y < lo || box.min_y > hi) return false;
  if (box.min_x < lo || box.max_x > hi || box.min_y < lo || box.max_y > hi) {
    clip_ring_edge(xy_, clipped_, 0, lo, [lo](double v) { return v >= lo; });
    clip_ring_edge(clipped_, xy_, 0, hi, [hi](double v) { return v <= hi; });
    clip_ring_edge(xy_, clipped_, 1, lo, [lo](double v) { return v >= lo; });
    clip_ring_edge(clipped_, xy_, 1, hi, [hi](double v) { return v <= hi; });
  }
  const std::size_t before = out.parts.size();
  add_snapped_part(out, xy_.data(), xy_.size() / 2, 3);
  if (out.parts.size() == before) return false;
  auto& ring = out.parts.back();
  if (ring.size() > 1 && ring.front() == ring.back()) ring.pop_back();
  const std::int64_t area = ring.size() >= 3 ? doubled_area(ring) : 0;
  if (area == 0) {
    out.parts.pop_back();
    return false;
  }
  if ((area > 0) != exterior) std::reverse(ring.begin(), ring.end());
  return true;
}

}  // namespace amis::encode
