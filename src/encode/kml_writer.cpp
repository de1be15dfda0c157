#include "encode/kml_writer.hpp"

#include <cpl_conv.h>
#include <ogr_api.h>

#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

const char* kml_type(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return "int";
    case core::PropertyType::Real: return "double";
    case core::PropertyType::Boolean: return "bool";
    default: return "string";
  }
}

void append_kml_geometry(std::string& out, std::span<const std::uint8_t> wkb) {
  if (wkb.empty()) return;
  OGRGeometryH g = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) return;
  if (char* kml = OGR_G_ExportToKML(g, nullptr)) {
    out += kml;
    CPLFree(kml);
  }
  OGR_G_DestroyGeometry(g);
}

}  // namespace

const core::Property* kml_name_property(const core::Collection& collection) {
  const core::Property* found = nullptr;
  for (const auto& p : collection.properties) {
    if (p.type != core::PropertyType::Text) continue;
    if (p.name == "name") return &p;
    if (!found && p.name.size() > 5 && p.name.ends_with("_name")) found = &p;
  }
  return found;
}

void KmlFeatureWriter::begin(const core::Collection& collection) {
  collection_ = &collection;
  if (const auto* p = kml_name_property(collection)) name_index_ = static_cast<int>(p - collection.properties.data());
  const std::string id = xml_name(collection.id);
  buffer_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>";
  append_xml_text(buffer_, collection.title.empty() ? collection.id : collection.title);
  buffer_ += "</name>\n<Schema name=\"" + id + "\" id=\"" + id + "\">";
  for (const auto& p : collection.properties) {
    buffer_ += "<SimpleField name=\"";
    append_xml_text(buffer_, p.name);
    buffer_ += std::string("\" type=\"") + kml_type(p.type) + "\"/>";
  }
  buffer_ += "</Schema>\n<Folder><name>" + id + "</name>\n";
}

void KmlFeatureWriter::feature(const core::FeatureView& feature) {
  const std::string id = xml_name(collection_->id);
  buffer_ += "<Placemark id=\"" + id + "." + std::to_string(feature.id) + "\">";
  if (name_index_ >= 0 && static_cast<std::size_t>(name_index_) < feature.values.size() &&
      feature.values[static_cast<std::size_t>(name_index_)].kind == core::Value::Kind::Text) {
    buffer_ += "<name>";
    append_xml_text(buffer_, feature.values[static_cast<std::size_t>(name_index_)].text);
    buffer_ += "</name>";
  }
  buffer_ += "<ExtendedData><SchemaData schemaUrl=\"#" + id + "\">";
  for (std::size_t i = 0; i < feature.values.size() && i < collection_->properties.size(); ++i) {
    const auto& v = feature.values[i];
    if (v.kind == core::Value::Kind::Null) continue;
    buffer_ += "<SimpleData name=\"";
    append_xml_text(buffer_, collection_->properties[i].name);
    buffer_ += "\">";
    if (v.kind == core::Value::Kind::Integer) {
      if (collection_->properties[i].type == core::PropertyType::Boolean) buffer_ += v.integer ? "1" : "0";
      else buffer_ += std::to_string(v.integer);
    } else if (v.kind == core::Value::Kind::Real) {
      append_xml_number(buffer_, v.real);
    } else {
      append_xml_text(buffer_, v.text);
    }
    buffer_ += "</SimpleData>";
  }
  buffer_ += "</SchemaData></ExtendedData>";
  append_kml_geometry(buffer_, feature.wkb);
  buffer_ += "</Placemark>\n";
  if (buffer_.size() >= kFlushBytes) {
    out_.write(buffer_);
    buffer_.clear();
  }
}

void KmlFeatureWriter::end() {
  buffer_ += "</Folder></Document></kml>\n";
  out_.write(buffer_);
  buffer_.clear();
}

}  // namespace amis::encode
