#include "federation/gml_page.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <optional>
#include <pugixml.hpp>
#include <string>

#include "core/crs.hpp"
#include "core/error.hpp"
#include "query/fes.hpp"
#include "query/xml_document.hpp"

namespace amis::federation {
namespace {

using query::local_name;

const std::string_view kGeometries[] = {"Point",        "LineString",   "Polygon",       "MultiPoint",
                                        "MultiLineString", "MultiCurve", "MultiPolygon", "MultiSurface",
                                        "MultiGeometry", "Curve",       "Surface"};

bool is_geometry(const pugi::xml_node& n) {
  return std::find(std::begin(kGeometries), std::end(kGeometries), local_name(n)) != std::end(kGeometries);
}

// The geometry element a property element holds, or an empty node.
pugi::xml_node geometry_in(const pugi::xml_node& property) {
  for (auto child : property.children())
    if (child.type() == pugi::node_element && is_geometry(child)) return child;
  return {};
}

bool gml_element(const pugi::xml_node& n) {
  const std::string_view name = n.name();
  return name.starts_with("gml:");
}

// Each feature element of the collection, in order; refuses what is no collection.
void each_feature(const pugi::xml_document& doc, const std::function<void(const pugi::xml_node&)>& take) {
  const auto root = doc.document_element();
  const auto kind = local_name(root);
  if (kind == "ExceptionReport" || kind == "ServiceExceptionReport")
    throw core::ParsingFailed("page", "the node answered with an exception report");
  if (kind != "FeatureCollection") throw core::ParsingFailed("page", "the node's answer is no GML FeatureCollection");
  std::size_t n = 0;
  auto one = [&](const pugi::xml_node& f) {
    if (f.type() != pugi::node_element) return;
    if (++n > kMaxRemoteFeatures)
      throw core::ParsingFailed("page", "the node's page has more than " + std::to_string(kMaxRemoteFeatures) +
                                            " features");
    take(f);
  };
  for (auto member : root.children()) {
    const auto m = local_name(member);
    if (m == "member" || m == "featureMember") {
      for (auto f : member.children()) {
        if (f.type() != pugi::node_element) continue;
        if (local_name(f) == "FeatureCollection") throw core::ParsingFailed("page", "nested feature collections are not read");
        one(f);
        break;
      }
    } else if (m == "featureMembers") {
      for (auto f : member.children()) one(f);
    }
  }
}

void load(pugi::xml_document& doc, std::string_view xml) {
  query::parse_xml(doc, xml, "page", kMaxRemotePageBytes);
}

std::optional<std::int64_t> integer_in(std::string_view t) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}

std::optional<double> real_in(std::string_view t) {
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view trimmed(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return t;
}

bool nil(const pugi::xml_node& n) {
  const std::string_view v = n.attribute("xsi:nil").value();
  return v == "true" || v == "1";
}

RemoteValue value_of(const core::Property& p, const pugi::xml_node& n) {
  RemoteValue out;
  if (nil(n)) return out;
  const std::string_view text = trimmed(n.child_value());
  switch (p.type) {
    case core::PropertyType::Integer:
      if (auto v = integer_in(text)) return {core::Value::Kind::Integer, *v, 0, {}};
      if (auto r = real_in(text); r && std::fabs(*r) < 9.2e18)
        return {core::Value::Kind::Integer, static_cast<std::int64_t>(*r), 0, {}};
      return out;
    case core::PropertyType::Boolean:
      if (text == "true" || text == "1") return {core::Value::Kind::Integer, 1, 0, {}};
      if (text == "false" || text == "0") return {core::Value::Kind::Integer, 0, 0, {}};
      return out;
    case core::PropertyType::Real:
      if (auto v = real_in(text)) return {core::Value::Kind::Real, 0, *v, {}};
      return out;
    default:
      out.kind = core::Value::Kind::Text;
      out.text = std::string(text);
      return out;
  }
}

core::PropertyType type_of(std::string_view text) {
  if (integer_in(text)) return core::PropertyType::Integer;
  if (real_in(text)) return core::PropertyType::Real;
  if (text == "true" || text == "false") return core::PropertyType::Boolean;
  return core::PropertyType::Text;
}

std::string geometry_type_of(std::string_view kind) {
  if (kind == "Surface") return "POLYGON";
  if (kind == "Curve") return "LINESTRING";
  if (kind == "MultiSurface") return "MULTIPOLYGON";
  if (kind == "MultiCurve") return "MULTILINESTRING";
  if (kind == "MultiGeometry") return "GEOMETRYCOLLECTION";
  std::string t(kind);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return t;
}

std::vector<std::uint8_t> wkb_of(const pugi::xml_node& geometry, const core::Collection& collection) {
  static const auto crs84 = core::parse_srs_name("urn:ogc:def:crs:OGC:1.3:CRS84");
  try {
    return query::parse_gml_geometry(geometry, {collection, *crs84, false});
  } catch (const core::OgcError& e) {
    throw core::ParsingFailed("page", std::string("a feature's GML geometry cannot be read: ") + e.what());
  }
}

}  // namespace

RemotePage read_gml_page(std::string_view xml, const core::Collection& collection, std::int64_t first_position) {
  pugi::xml_document doc;
  load(doc, xml);
  RemotePage page;
  std::int64_t position = first_position;
  each_feature(doc, [&](const pugi::xml_node& f) {
    RemoteFeature out;
    std::string id = f.attribute("gml:id").value();
    if (id.empty()) id = f.attribute("fid").value();
    if (id.size() > 256) id.resize(256);
    out.source_id = id.empty() ? std::to_string(position) : id;
    out.id = id.empty() ? position : [&] {
      std::string_view t = id;
      if (const auto dot = t.rfind('.'); dot != std::string_view::npos) t = t.substr(dot + 1);
      return integer_in(t).value_or(position);
    }();
    ++position;
    out.values.resize(collection.properties.size());
    for (auto p : f.children()) {
      if (p.type() != pugi::node_element || gml_element(p)) continue;
      if (const auto g = geometry_in(p)) {
        if (out.wkb.empty()) out.wkb = wkb_of(g, collection);
        continue;
      }
      const auto name = local_name(p);
      for (std::size_t i = 0; i < collection.properties.size(); ++i)
        if (collection.properties[i].name == name) out.values[i] = value_of(collection.properties[i], p);
    }
    for (const auto& v : out.values) page.bytes += sizeof(RemoteValue) + v.text.size();
    page.bytes += sizeof(RemoteFeature) + out.wkb.size() + out.source_id.size();
    page.features.push_back(std::move(out));
  });
  const auto root = doc.document_element();
  for (const char* count : {"numberMatched", "numberOfFeatures"})
    if (auto n = integer_in(root.attribute(count).value()); n && *n >= 0) {
      page.number_matched = *n;
      break;
    }
  return page;
}

void infer_gml_schema(std::string_view xml, core::Collection& collection) {
  pugi::xml_document doc;
  load(doc, xml);
  std::string geometry_type;
  std::vector<std::string> typed;  // properties seen with a value
  each_feature(doc, [&](const pugi::xml_node& f) {
    for (auto p : f.children()) {
      if (p.type() != pugi::node_element || gml_element(p)) continue;
      if (const auto g = geometry_in(p)) {
        const auto t = geometry_type_of(local_name(g));
        geometry_type = geometry_type.empty() || geometry_type == t ? t : "GEOMETRY";
        continue;
      }
      learn_property(collection, typed, std::string(local_name(p)),
                     nil(p) ? std::nullopt : std::optional(type_of(trimmed(p.child_value()))));
    }
  });
  collection.geometry_type = geometry_type.empty() ? "GEOMETRY" : geometry_type;
}

}  // namespace amis::federation
