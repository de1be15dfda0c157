#include "query/projected_box.hpp"

#include <cmath>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace amis::query {
namespace {

// Points per edge: a straight edge of a projected box is a curve in longitude and
// latitude; 64 chords keep it within centimetres for boxes of hundreds of kilometres.
constexpr int kPerEdge = 64;

// The box's boundary, counter-clockwise from its lower-left corner, closed.
std::vector<double> densified_ring(const core::Envelope& b) {
  const double corners[5][2] = {{b.min_x, b.min_y}, {b.max_x, b.min_y}, {b.max_x, b.max_y},
                                {b.min_x, b.max_y}, {b.min_x, b.min_y}};
  std::vector<double> xy;
  xy.reserve((4 * kPerEdge + 1) * 2);
  for (int edge = 0; edge < 4; ++edge)
    for (int i = 0; i < kPerEdge; ++i) {
      const double t = static_cast<double>(i) / kPerEdge;
      xy.push_back(corners[edge][0] + t * (corners[edge + 1][0] - corners[edge][0]));
      xy.push_back(corners[edge][1] + t * (corners[edge + 1][1] - corners[edge][1]));
    }
  xy.push_back(b.min_x);
  xy.push_back(b.min_y);
  return xy;
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_f64(std::vector<std::uint8_t>& out, double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, 8);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

std::vector<std::uint8_t> polygon_wkb(const std::vector<double>& xy) {
  std::vector<std::uint8_t> wkb{1};  // little endian
  put_u32(wkb, 3);                   // Polygon
  put_u32(wkb, 1);                   // one ring
  put_u32(wkb, static_cast<std::uint32_t>(xy.size() / 2));
  for (double v : xy) put_f64(wkb, v);
  return wkb;
}

bool crosses_antimeridian(const std::vector<double>& lonlat) {
  for (std::size_t i = 2; i < lonlat.size(); i += 2)
    if (std::abs(lonlat[i] - lonlat[i - 2]) > 180) return true;
  return false;
}

}  // namespace

std::optional<core::Expression> projected_box_shape(const core::Envelope& box, const core::Crs& crs,
                                                    const encode::CoordinateTransform& inverse,
                                                    const char* parameter) {
  if (crs.is_crs84() || crs.epsg == 3857 || encode::geographic(crs)) return std::nullopt;
  if (!(box.min_x < box.max_x && box.min_y < box.max_y)) return std::nullopt;  // a point or a line: its envelope
  std::vector<double> xy = densified_ring(box);
  inverse.transform(xy.data(), xy.data() + 1, xy.size() / 2, 2);
  for (double v : xy)
    if (!std::isfinite(v))
      throw core::InvalidParameter(parameter, "the box cannot be transformed to longitude/latitude");
  if (crosses_antimeridian(xy)) return std::nullopt;
  core::Expression shape;
  shape.kind = core::Expression::Kind::Geometry;
  shape.wkb = polygon_wkb(xy);
  return shape;
}

std::optional<core::Expression> projected_box_condition(const core::Envelope& box, const core::Crs& crs,
                                                        const encode::CoordinateTransform& inverse,
                                                        const char* parameter) {
  auto shape = projected_box_shape(box, crs, inverse, parameter);
  if (!shape) return std::nullopt;
  return core::Expression::op("s_intersects", {core::Expression::property("geometry"), std::move(*shape)});
}

std::shared_ptr<const core::Expression> and_condition(std::shared_ptr<const core::Expression> a,
                                                      std::optional<core::Expression> b) {
  if (!b) return a;
  if (!a) return std::make_shared<const core::Expression>(std::move(*b));
  return std::make_shared<const core::Expression>(core::Expression::op("and", {*a, std::move(*b)}));
}

}  // namespace amis::query
