#include "encode/geojson_geometry.hpp"

#include <vector>

#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/json_text.hpp"

namespace amis::encode {
namespace {

using core::WkbReader;
using core::WkbType;

const char* geojson_type(WkbType type) {
  switch (type) {
    case WkbType::Point: return "Point";
    case WkbType::LineString: return "LineString";
    case WkbType::Polygon: return "Polygon";
    case WkbType::MultiPoint: return "MultiPoint";
    case WkbType::MultiLineString: return "MultiLineString";
    case WkbType::MultiPolygon: return "MultiPolygon";
    case WkbType::GeometryCollection: return "GeometryCollection";
  }
  return "Point";
}

// A WKB header's dimensions do not say whether the third ordinate is Z or M;
// the type code does, so it travels with the reader state.
struct Dims {
  int count;
  bool has_z;
};

// Reprojection reads a whole coordinate sequence, transforms it in one PROJ call
// and writes it; without one, coordinates go straight from WKB to text.
thread_local const CoordinateTransform* g_transform = nullptr;

void write_xy(std::string& out, double x, double y) {
  append_json_number(out, x);
  out += ',';
  append_json_number(out, y);
}

void transformed_positions(std::string& out, WkbReader& r, Dims d, std::uint32_t n, bool bracket) {
  thread_local std::vector<double> xyz;
  xyz.resize(static_cast<size_t>(n) * 3);
  for (std::uint32_t i = 0; i < n; ++i) {
    xyz[i * 3] = r.f64();
    xyz[i * 3 + 1] = r.f64();
    xyz[i * 3 + 2] = 0;
    for (int k = 2; k < d.count; ++k) {
      const double v = r.f64();
      if (k == 2 && d.has_z) xyz[i * 3 + 2] = v;
    }
  }
  g_transform->transform(xyz.data(), xyz.data() + 1, n, 3);
  if (bracket) out += '[';
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i) out += ',';
    out += '[';
    write_xy(out, xyz[i * 3], xyz[i * 3 + 1]);
    if (d.has_z) {
      out += ',';
      append_json_number(out, xyz[i * 3 + 2]);
    }
    out += ']';
  }
  if (bracket) out += ']';
}

void position(std::string& out, WkbReader& r, Dims d) {
  if (g_transform) return transformed_positions(out, r, d, 1, false);
  out += '[';
  append_json_number(out, r.f64());
  out += ',';
  append_json_number(out, r.f64());
  for (int i = 2; i < d.count; ++i) {
    const double v = r.f64();
    if (i == 2 && d.has_z) {
      out += ',';
      append_json_number(out, v);
    }
  }
  out += ']';
}

void positions(std::string& out, WkbReader& r, Dims d) {
  const auto n = r.count();
  if (g_transform) return transformed_positions(out, r, d, n, true);
  out += '[';
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i) out += ',';
    position(out, r, d);
  }
  out += ']';
}

void rings(std::string& out, WkbReader& r, Dims d) {
  const auto n = r.count();
  out += '[';
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i) out += ',';
    positions(out, r, d);
  }
  out += ']';
}

Dims dims_of(std::span<const std::uint8_t> wkb, size_t at, int count) {
  // Type code bytes follow the byte-order byte; M-only geometries are 2000-2999
  // (ISO) or carry only the 0x40000000 flag (EWKB).
  std::uint32_t code = 0;
  if (at + 5 <= wkb.size()) {
    const bool little = wkb[at] == 1;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t b = wkb[at + 1 + static_cast<size_t>(i)];
      code |= little ? b << (8 * i) : b << (8 * (3 - i));
    }
  }
  const bool m_only = (code & 0x0FFFFFFFu) / 1000 == 2 ||
                      ((code & 0x40000000u) && !(code & 0x80000000u));
  return {count, count >= 3 && !m_only};
}

void geometry(std::string& out, WkbReader& r, std::span<const std::uint8_t> wkb, int depth);

void members(std::string& out, WkbReader& r, std::span<const std::uint8_t> wkb, int depth,
             WkbType member) {
  const auto n = r.count();
  out += '[';
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i) out += ',';
    const size_t at = r.position();
    const auto h = r.header();
    const Dims d = dims_of(wkb, at, h.dimensions);
    if (h.type != member) throw core::WkbError("unexpected member type in multi-geometry");
    if (member == WkbType::Point) position(out, r, d);
    else if (member == WkbType::LineString) positions(out, r, d);
    else rings(out, r, d);
  }
  out += ']';
  (void)depth;
}

void geometry(std::string& out, WkbReader& r, std::span<const std::uint8_t> wkb, int depth) {
  if (depth > 32) throw core::WkbError("WKB nesting too deep");
  const size_t at = r.position();
  const auto h = r.header();
  const Dims d = dims_of(wkb, at, h.dimensions);
  out += R"({"type":")";
  out += geojson_type(h.type);
  out += h.type == WkbType::GeometryCollection ? R"(","geometries":)" : R"(","coordinates":)";
  switch (h.type) {
    case WkbType::Point: position(out, r, d); break;
    case WkbType::LineString: positions(out, r, d); break;
    case WkbType::Polygon: rings(out, r, d); break;
    case WkbType::MultiPoint: members(out, r, wkb, depth, WkbType::Point); break;
    case WkbType::MultiLineString: members(out, r, wkb, depth, WkbType::LineString); break;
    case WkbType::MultiPolygon: members(out, r, wkb, depth, WkbType::Polygon); break;
    case WkbType::GeometryCollection: {
      const auto n = r.count();
      out += '[';
      for (std::uint32_t i = 0; i < n; ++i) {
        if (i) out += ',';
        geometry(out, r, wkb, depth + 1);
      }
      out += ']';
      break;
    }
  }
  out += '}';
}

}  // namespace

void append_geojson_geometry(std::string& out, std::span<const std::uint8_t> wkb,
                             const CoordinateTransform* transform) {
  if (wkb.empty()) {
    out += "null";
    return;
  }
  struct Scope {  // the transform applies to this call only, even when it throws
    explicit Scope(const CoordinateTransform* t) { g_transform = t; }
    ~Scope() { g_transform = nullptr; }
  } scope(transform);
  WkbReader reader(wkb);
  geometry(out, reader, wkb, 0);
}

}  // namespace amis::encode
