#include "encode/csv_writer.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>

#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

void append_field(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string wkb_to_wkt(std::span<const std::uint8_t> wkb) {
  if (wkb.empty()) return {};
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) return {};
  char* wkt = nullptr;
  std::string out;
  if (OGR_G_ExportToIsoWkt(g, &wkt) == OGRERR_NONE && wkt) out = wkt;
  CPLFree(wkt);
  OGR_G_DestroyGeometry(g);
  return out;
}

void CsvFeatureWriter::begin(const core::Collection& collection) {
  collection_ = &collection;
  buffer_ = "WKT,id";
  for (const auto& p : collection.properties) {
    buffer_ += ',';
    append_field(buffer_, p.name);
  }
  buffer_ += "\r\n";
}

void CsvFeatureWriter::feature(const core::FeatureView& feature) {
  append_field(buffer_, wkb_to_wkt(feature.wkb));
  buffer_ += ',';
  buffer_ += std::to_string(feature.id);
  for (std::size_t i = 0; i < collection_->properties.size(); ++i) {
    buffer_ += ',';
    if (i >= feature.values.size()) continue;
    const auto& v = feature.values[i];
    switch (v.kind) {
      case core::Value::Kind::Null: break;
      case core::Value::Kind::Integer:
        if (collection_->properties[i].type == core::PropertyType::Boolean) buffer_ += v.integer ? "true" : "false";
        else buffer_ += std::to_string(v.integer);
        break;
      case core::Value::Kind::Real: append_xml_number(buffer_, v.real); break;
      case core::Value::Kind::Text: append_field(buffer_, v.text); break;
    }
  }
  buffer_ += "\r\n";
  if (buffer_.size() >= kFlushBytes) {
    out_.write(buffer_);
    buffer_.clear();
  }
}

void CsvFeatureWriter::end() {
  out_.write(buffer_);
  buffer_.clear();
}

}  // namespace amis::encode
