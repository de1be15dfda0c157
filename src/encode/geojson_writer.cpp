#include "encode/geojson_writer.hpp"

#include <ctime>

#include "core/wkb.hpp"
#include "encode/geojson_geometry.hpp"
#include "encode/json_text.hpp"

namespace amis::encode {

void append_links(std::string& out, const std::vector<Link>& links) {
  out += '[';
  for (size_t i = 0; i < links.size(); ++i) {
    if (i) out += ',';
    out += R"({"href":)";
    append_json_string(out, links[i].href);
    out += R"(,"rel":)";
    append_json_string(out, links[i].rel);
    if (!links[i].type.empty()) {
      out += R"(,"type":)";
      append_json_string(out, links[i].type);
    }
    if (!links[i].title.empty()) {
      out += R"(,"title":)";
      append_json_string(out, links[i].title);
    }
    out += '}';
  }
  out += ']';
}

namespace {

void append_value(std::string& out, const core::Property& property, const core::Value& v) {
  switch (v.kind) {
    case core::Value::Kind::Null: out += "null"; return;
    case core::Value::Kind::Integer:
      if (property.type == core::PropertyType::Boolean) out += v.integer ? "true" : "false";
      else append_json_number(out, v.integer);
      return;
    case core::Value::Kind::Real: append_json_number(out, v.real); return;
    case core::Value::Kind::Text: append_json_string(out, v.text); return;
  }
}

}  // namespace

void append_feature(std::string& out, const core::Collection& collection,
                    const core::FeatureView& feature, const CoordinateTransform* transform) {
  out += R"({"type":"Feature","id":)";
  append_json_number(out, feature.id);
  out += R"(,"geometry":)";
  const size_t geometry_start = out.size();
  try {
    append_geojson_geometry(out, feature.wkb, transform);
  } catch (const core::WkbError&) {
    out.resize(geometry_start);
    out += "null";  // a corrupt geometry must not corrupt the document
  }
  out += R"(,"properties":{)";
  for (size_t i = 0; i < feature.values.size() && i < collection.properties.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, collection.properties[i].name);
    out += ':';
    append_value(out, collection.properties[i], feature.values[i]);
  }
  out += "}";
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

GeoJsonFeatureCollection::GeoJsonFeatureCollection(
    core::ByteSink& out, std::optional<std::int64_t> number_matched,
    std::function<std::vector<Link>(std::int64_t)> links, const CoordinateTransform* transform)
    : out_(out), number_matched_(number_matched), links_(std::move(links)), transform_(transform) {
  buffer_.reserve(80 * 1024);
}

void GeoJsonFeatureCollection::begin(const core::Collection& collection) {
  collection_ = &collection;
  buffer_ += R"({"type":"FeatureCollection","features":[)";
}

void GeoJsonFeatureCollection::feature(const core::FeatureView& feature) {
  if (returned_++) buffer_ += ',';
  append_feature(buffer_, *collection_, feature, transform_);
  buffer_ += '}';
  flush_if_full();
}

void GeoJsonFeatureCollection::flush_if_full() {
  if (buffer_.size() < 64 * 1024) return;
  out_.write(buffer_);
  buffer_.clear();
}

void GeoJsonFeatureCollection::end() {
  buffer_ += ']';
  if (number_matched_) {
    buffer_ += R"(,"numberMatched":)";
    append_json_number(buffer_, *number_matched_);
  }
  buffer_ += R"(,"numberReturned":)";
  append_json_number(buffer_, returned_);
  buffer_ += R"(,"timeStamp":")" + utc_timestamp() + R"(","links":)";
  append_links(buffer_, links_(returned_));
  buffer_ += '}';
  out_.write(buffer_);
  buffer_.clear();
}

void GeoJsonFeature::feature(const core::FeatureView& feature) {
  append_feature(out_, *collection_, feature, transform_);
  out_ += R"(,"links":)";
  append_links(out_, links_);
  out_ += '}';
}

}  // namespace amis::encode
