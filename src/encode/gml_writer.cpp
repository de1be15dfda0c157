#include "encode/gml_writer.hpp"

#include "core/wkb.hpp"
#include "encode/geojson_writer.hpp"
#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

void append_value(std::string& out, const core::Property& property, const core::Value& v) {
  switch (v.kind) {
    case core::Value::Kind::Null: return;
    case core::Value::Kind::Integer:
      if (property.type == core::PropertyType::Boolean) out += v.integer ? "true" : "false";
      else out += std::to_string(v.integer);
      return;
    case core::Value::Kind::Real: append_xml_number(out, v.real); return;
    case core::Value::Kind::Text: append_xml_text(out, v.text); return;
  }
}

void attribute(std::string& out, const char* name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_xml_text(out, value);
  out += '"';
}

// gml:boundedBy with the Envelope of the positions as written (srsName's axis order).
void append_bounded_by(std::string& out, const GmlEnvelope& box, std::string_view srs_name) {
  out += "<gml:boundedBy><gml:Envelope srsName=\"";
  append_xml_text(out, srs_name);
  out += "\"><gml:lowerCorner>";
  append_xml_number(out, box.min_x);
  out += ' ';
  append_xml_number(out, box.min_y);
  out += "</gml:lowerCorner><gml:upperCorner>";
  append_xml_number(out, box.max_x);
  out += ' ';
  append_xml_number(out, box.max_y);
  out += "</gml:upperCorner></gml:Envelope></gml:boundedBy>";
}

}  // namespace

std::string gml_namespace_declarations(GmlVersion version) {
  std::string out = version == GmlVersion::V3_2
                        ? std::string(" xmlns:wfs=\"") + kWfs20Namespace + "\" xmlns:gml=\"" + kGml32Namespace + "\""
                        : std::string(" xmlns:wfs=\"") + kWfs11Namespace + "\" xmlns:gml=\"" + kGml311Namespace + "\"";
  out += std::string(" xmlns:amis=\"") + kAmisNamespace + "\"";
  out += " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  return out;
}

void append_gml_feature(std::string& out, const core::Collection& collection,
                        const core::FeatureView& feature, const GmlCoordinates& coordinates) {
  const std::string type = xml_name(collection.id);
  const std::string id = type + "." + std::to_string(feature.id);
  out += "<amis:" + type + " gml:id=\"" + id + "\">";
  if (!feature.wkb.empty()) {
    // The geometry is written first, to know its box: gml:boundedBy comes before it.
    std::string geometry = std::string("<amis:") + kGeometryElement + ">";
    GmlEnvelope box;
    try {
      append_gml_geometry(geometry, feature.wkb, coordinates, id + ".geom", &box);
      geometry += std::string("</amis:") + kGeometryElement + ">";
      if (!box.empty()) append_bounded_by(out, box, coordinates.srs_name);
      out += geometry;
    } catch (const core::WkbError&) {
      // a corrupt geometry must not corrupt the document: left out
    }
  }
  for (std::size_t i = 0; i < feature.values.size() && i < collection.properties.size(); ++i) {
    if (feature.values[i].kind == core::Value::Kind::Null) continue;
    const std::string name = xml_name(collection.properties[i].name);
    out += "<amis:" + name + ">";
    append_value(out, collection.properties[i], feature.values[i]);
    out += "</amis:" + name + ">";
  }
  out += "</amis:" + type + ">";
}

std::string gml_collection_start(GmlVersion version, const GmlCollectionHeader& header) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:FeatureCollection";
  out += gml_namespace_declarations(version);
  attribute(out, "timeStamp", utc_timestamp());
  if (version == GmlVersion::V3_2) {
    attribute(out, "numberMatched", header.number_matched ? std::to_string(*header.number_matched) : "unknown");
    attribute(out, "numberReturned", std::to_string(header.number_returned));
    if (!header.next.empty()) attribute(out, "next", header.next);
    if (!header.previous.empty()) attribute(out, "previous", header.previous);
  } else {
    attribute(out, "numberOfFeatures", std::to_string(header.number_returned));
  }
  if (!header.schema_location.empty()) attribute(out, "xsi:schemaLocation", header.schema_location);
  out += ">\n";
  return out;
}

std::string gml_collection_end() { return "</wfs:FeatureCollection>\n"; }

void GmlMembers::feature(const core::FeatureView& feature) {
  const bool v2 = coordinates_.version == GmlVersion::V3_2;
  buffer_ += v2 ? "<wfs:member>" : "<gml:featureMember>";
  append_gml_feature(buffer_, *collection_, feature, coordinates_);
  buffer_ += v2 ? "</wfs:member>\n" : "</gml:featureMember>\n";
  if (buffer_.size() >= kFlushBytes) {
    out_.write(buffer_);
    buffer_.clear();
  }
}

void GmlMembers::end() {
  out_.write(buffer_);
  buffer_.clear();
}

}  // namespace amis::encode
