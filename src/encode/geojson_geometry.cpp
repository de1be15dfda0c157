#include "encode/geojson_geometry.hpp"

#include <cmath>
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

struct Dims {
  int count;
  bool has_z;
};

// Walks one WKB geometry and writes it. Without a transform, coordinates go
// straight from WKB to text; with one, each coordinate sequence is read whole,
// reprojected in one PROJ call and then written.
class GeoJsonGeometryWriter {
 public:
  GeoJsonGeometryWriter(std::string& out, std::span<const std::uint8_t> wkb,
                        const CoordinateTransform* transform)
      : out_(out), reader_(wkb), transform_(transform) {}

  void geometry(int depth) {
    if (depth > 32) throw core::WkbError("WKB nesting too deep");
    const auto h = reader_.header();
    const Dims d{h.dimensions, h.has_z};
    out_ += R"({"type":")";
    out_ += geojson_type(h.type);
    out_ += h.type == WkbType::GeometryCollection ? R"(","geometries":)" : R"(","coordinates":)";
    switch (h.type) {
      case WkbType::Point: sequence(d, 1, false); break;
      case WkbType::LineString: sequence(d, reader_.count(), true); break;
      case WkbType::Polygon: rings(d); break;
      case WkbType::MultiPoint: members(WkbType::Point); break;
      case WkbType::MultiLineString: members(WkbType::LineString); break;
      case WkbType::MultiPolygon: members(WkbType::Polygon); break;
      case WkbType::GeometryCollection: {
        const auto n = reader_.count();
        out_ += '[';
        for (std::uint32_t i = 0; i < n; ++i) {
          if (i) out_ += ',';
          geometry(depth + 1);
        }
        out_ += ']';
        break;
      }
    }
    out_ += '}';
  }

 private:
  // n positions; `bracket` wraps them in an array (all but a lone point).
  void sequence(Dims d, std::uint32_t n, bool bracket) {
    if (transform_) read_and_transform(d, n);
    if (bracket) out_ += '[';
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i) out_ += ',';
      out_ += '[';
      if (transform_) {
        write_position(xyz_[i * 3], xyz_[i * 3 + 1], xyz_[i * 3 + 2], d.has_z);
      } else {
        const double x = reader_.f64();
        const double y = reader_.f64();
        double z = 0;
        for (int k = 2; k < d.count; ++k) {
          const double v = reader_.f64();
          if (k == 2) z = v;
        }
        write_position(x, y, z, d.has_z);
      }
      out_ += ']';
    }
    if (bracket) out_ += ']';
  }

  void write_position(double x, double y, double z, bool has_z) {
    append_json_number(out_, x);
    out_ += ',';
    append_json_number(out_, y);
    if (has_z) {
      out_ += ',';
      append_json_number(out_, z);
    }
  }

  void read_and_transform(Dims d, std::uint32_t n) {
    xyz_.resize(static_cast<size_t>(n) * 3);
    for (std::uint32_t i = 0; i < n; ++i) {
      xyz_[i * 3] = reader_.f64();
      xyz_[i * 3 + 1] = reader_.f64();
      xyz_[i * 3 + 2] = 0;
      for (int k = 2; k < d.count; ++k) {
        const double v = reader_.f64();
        if (k == 2 && d.has_z) xyz_[i * 3 + 2] = v;
      }
    }
    transform_->transform(xyz_.data(), xyz_.data() + 1, n, 3);
    for (std::uint32_t i = 0; i < n; ++i)
      if (!std::isfinite(xyz_[i * 3]) || !std::isfinite(xyz_[i * 3 + 1]))
        throw core::WkbError("a position lies outside the domain of the requested CRS");
  }

  void rings(Dims d) {
    const auto n = reader_.count();
    out_ += '[';
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i) out_ += ',';
      sequence(d, reader_.count(), true);
    }
    out_ += ']';
  }

  void members(WkbType member) {
    const auto n = reader_.count();
    out_ += '[';
    for (std::uint32_t i = 0; i < n; ++i) {
      if (i) out_ += ',';
      const auto h = reader_.header();
      if (h.type != member) throw core::WkbError("unexpected member type in multi-geometry");
      const Dims d{h.dimensions, h.has_z};
      if (member == WkbType::Point) sequence(d, 1, false);
      else if (member == WkbType::LineString) sequence(d, reader_.count(), true);
      else rings(d);
    }
    out_ += ']';
  }

  std::string& out_;
  WkbReader reader_;
  const CoordinateTransform* transform_;
  std::vector<double> xyz_;
};

}  // namespace

void append_geojson_geometry(std::string& out, std::span<const std::uint8_t> wkb,
                             const CoordinateTransform* transform) {
  if (wkb.empty()) {
    out += "null";
    return;
  }
  GeoJsonGeometryWriter(out, wkb, transform).geometry(0);
}

}  // namespace amis::encode
