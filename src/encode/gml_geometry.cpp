#include "encode/gml_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/wkb.hpp"
#include "encode/coordinate_transform.hpp"
#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

using core::WkbReader;
using core::WkbType;

class GmlGeometryWriter {
 public:
  GmlGeometryWriter(std::string& out, std::span<const std::uint8_t> wkb, const GmlCoordinates& c,
                    GmlEnvelope* envelope)
      : out_(out), reader_(wkb), c_(c), envelope_(envelope) {}

  void geometry(int depth, const std::string& id, bool outer) {
    if (depth > 32) throw core::WkbError("WKB nesting too deep");
    const auto h = reader_.header();
    switch (h.type) {
      case WkbType::Point:
        open("gml:Point", id, outer, h.has_z);
        out_ += "<gml:pos>";
        positions(h, 1);
        out_ += "</gml:pos></gml:Point>";
        break;
      case WkbType::LineString:
        open("gml:LineString", id, outer, h.has_z);
        out_ += "<gml:posList>";
        positions(h, reader_.count());
        out_ += "</gml:posList></gml:LineString>";
        break;
      case WkbType::Polygon:
        open("gml:Polygon", id, outer, h.has_z);
        rings(h);
        out_ += "</gml:Polygon>";
        break;
      case WkbType::MultiPoint: members(depth, id, outer, h, "gml:MultiPoint", "gml:pointMember"); break;
      case WkbType::MultiLineString:
        members(depth, id, outer, h, "gml:MultiCurve", "gml:curveMember");
        break;
      case WkbType::MultiPolygon:
        members(depth, id, outer, h, "gml:MultiSurface", "gml:surfaceMember");
        break;
      case WkbType::GeometryCollection:
        members(depth, id, outer, h, "gml:MultiGeometry", "gml:geometryMember");
        break;
    }
  }

 private:
  // The start tag: gml:id (3.2), and on the outer geometry srsName and srsDimension.
  void open(const char* element, const std::string& id, bool outer, bool has_z) {
    out_ += '<';
    out_ += element;
    if (c_.version == GmlVersion::V3_2) {
      out_ += " gml:id=\"";
      append_xml_text(out_, id);
      out_ += '"';
    }
    if (outer) {
      out_ += " srsName=\"";
      append_xml_text(out_, c_.srs_name);
      out_ += '"';
      if (has_z) out_ += " srsDimension=\"3\"";
    }
    out_ += '>';
  }

  void members(int depth, const std::string& id, bool outer, const WkbReader::Header& h,
               const char* element, const char* member) {
    open(element, id, outer, h.has_z);
    const auto n = reader_.count();
    for (std::uint32_t i = 0; i < n; ++i) {
      out_ += '<';
      out_ += member;
      out_ += '>';
      geometry(depth + 1, id + "." + std::to_string(i + 1), false);
      out_ += "</";
      out_ += member;
      out_ += '>';
    }
    out_ += "</";
    out_ += element;
    out_ += '>';
  }

  void rings(const WkbReader::Header& h) {
    const auto n = reader_.count();
    for (std::uint32_t i = 0; i < n; ++i) {
      out_ += i == 0 ? "<gml:exterior>" : "<gml:interior>";
      out_ += "<gml:LinearRing><gml:posList>";
      positions(h, reader_.count());
      out_ += "</gml:posList></gml:LinearRing>";
      out_ += i == 0 ? "</gml:exterior>" : "</gml:interior>";
    }
  }

  // n positions, space-separated, in the output CRS's axis order.
  void positions(const WkbReader::Header& h, std::uint32_t n) {
    xyz_.resize(static_cast<size_t>(n) * 3);
    for (std::uint32_t i = 0; i < n; ++i) {
      xyz_[i * 3] = reader_.f64();
      xyz_[i * 3 + 1] = reader_.f64();
      xyz_[i * 3 + 2] = 0;
      for (int k = 2; k < h.dimensions; ++k) {
        const double v = reader_.f64();
        if (k == 2 && h.has_z) xyz_[i * 3 + 2] = v;
      }
    }
    if (c_.transform) c_.transform->transform(xyz_.data(), xyz_.data() + 1, n, 3);
    for (std::uint32_t i = 0; i < n; ++i) {
      double x = xyz_[i * 3], y = xyz_[i * 3 + 1];
      if (!std::isfinite(x) || !std::isfinite(y))
        throw core::WkbError("a position lies outside the domain of the requested CRS");
      if (c_.swap_xy && !c_.transform) std::swap(x, y);
      if (envelope_) {
        envelope_->min_x = std::min(envelope_->min_x, x);
        envelope_->min_y = std::min(envelope_->min_y, y);
        envelope_->max_x = std::max(envelope_->max_x, x);
        envelope_->max_y = std::max(envelope_->max_y, y);
      }
      if (i) out_ += ' ';
      append_xml_number(out_, x);
      out_ += ' ';
      append_xml_number(out_, y);
      if (h.has_z) {
        out_ += ' ';
        append_xml_number(out_, xyz_[i * 3 + 2]);
      }
    }
  }

  std::string& out_;
  WkbReader reader_;
  const GmlCoordinates& c_;
  GmlEnvelope* envelope_;
  std::vector<double> xyz_;
};

}  // namespace

void append_gml_geometry(std::string& out, std::span<const std::uint8_t> wkb,
                         const GmlCoordinates& coordinates, std::string_view gml_id, GmlEnvelope* envelope) {
  if (wkb.empty()) return;
  GmlGeometryWriter(out, wkb, coordinates, envelope).geometry(0, std::string(gml_id), true);
}

}  // namespace amis::encode
