#include "federation/remote_page.hpp"

#include <ogr_api.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace amis::federation {
namespace {

using json = nlohmann::json;

struct OwnedGeometry {
  OGRGeometryH g;
  ~OwnedGeometry() { OGR_G_DestroyGeometry(g); }
};

json parse_document(std::string_view text) {
  if (text.size() > kMaxRemotePageBytes) throw core::ParsingFailed("page", "the node's page is too large");
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("page", "the node's answer is not a JSON object");
  return doc;
}

// The features of a FeatureCollection, or the one Feature.
const json& features_of(const json& doc, json& single) {
  const auto type = doc.find("type");
  if (type != doc.end() && *type == "Feature") {
    single = json::array({doc});
    return single;
  }
  const auto features = doc.find("features");
  if (type == doc.end() || *type != "FeatureCollection" || features == doc.end() || !features->is_array())
    throw core::ParsingFailed("page", "the node's answer is not a GeoJSON FeatureCollection");
  if (features->size() > kMaxRemoteFeatures)
    throw core::ParsingFailed("page", "the node's page has more than " + std::to_string(kMaxRemoteFeatures) +
                                          " features");
  return *features;
}

std::vector<std::uint8_t> wkb_of(const json& geometry) {
  if (geometry.is_null()) return {};
  if (!geometry.is_object()) throw core::ParsingFailed("page", "a feature's geometry is not a GeoJSON object");
  OGRGeometryH g = OGR_G_CreateGeometryFromJson(geometry.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  if (!g) throw core::ParsingFailed("page", "a feature's geometry is not valid GeoJSON");
  const OwnedGeometry owned{g};
  std::vector<std::uint8_t> wkb(static_cast<std::size_t>(OGR_G_WkbSize(g)));
  OGR_G_ExportToIsoWkb(g, wkbNDR, wkb.data());
  return wkb;
}

std::optional<std::int64_t> number_in(std::string_view text) {
  // "123", or the number after the last '.' ("sites.123": MapServer, GeoServer).
  if (const auto dot = text.rfind('.'); dot != std::string_view::npos) text = text.substr(dot + 1);
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

RemoteValue value_of(const core::Property& p, const json& v) {
  RemoteValue out;
  if (v.is_null()) return out;
  switch (p.type) {
    case core::PropertyType::Integer:
    case core::PropertyType::Boolean:
      if (v.is_boolean()) return {core::Value::Kind::Integer, v.get<bool>() ? 1 : 0, 0, {}};
      if (v.is_number_integer()) return {core::Value::Kind::Integer, v.get<std::int64_t>(), 0, {}};
      if (v.is_number_float() && std::isfinite(v.get<double>()))
        return {core::Value::Kind::Integer, static_cast<std::int64_t>(v.get<double>()), 0, {}};
      return out;
    case core::PropertyType::Real:
      if (v.is_number() && std::isfinite(v.get<double>())) return {core::Value::Kind::Real, 0, v.get<double>(), {}};
      return out;
    default:
      out.kind = core::Value::Kind::Text;
      out.text = v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace);
      return out;
  }
}

core::PropertyType type_of(const json& v) {
  if (v.is_boolean()) return core::PropertyType::Boolean;
  if (v.is_number_integer()) return core::PropertyType::Integer;
  if (v.is_number()) return core::PropertyType::Real;
  return core::PropertyType::Text;
}

}  // namespace

void RemoteFeature::view(const std::vector<std::size_t>& indexes, std::vector<core::Value>& out) const {
  out.clear();
  for (const auto i : indexes) {
    const auto& v = values[i];
    out.push_back({v.kind, v.integer, v.real, v.text});
  }
}

RemotePage read_remote_page(std::string_view text, const core::Collection& collection, std::int64_t first_position) {
  const json doc = parse_document(text);
  json single;
  const json& features = features_of(doc, single);
  RemotePage page;
  page.features.reserve(features.size());
  std::int64_t position = first_position;
  for (const auto& f : features) {
    if (!f.is_object()) throw core::ParsingFailed("page", "a feature is not a JSON object");
    RemoteFeature out;
    const auto id = f.find("id");
    if (id != f.end() && id->is_number_integer()) {
      out.id = id->get<std::int64_t>();
      out.source_id = std::to_string(out.id);
    } else if (id != f.end() && id->is_string()) {
      out.source_id = id->get<std::string>();
      out.id = number_in(out.source_id).value_or(position);
    } else {
      out.id = position;
      out.source_id = std::to_string(position);
    }
    ++position;
    if (const auto g = f.find("geometry"); g != f.end()) out.wkb = wkb_of(*g);
    const auto props = f.find("properties");
    out.values.reserve(collection.properties.size());
    for (const auto& p : collection.properties) {
      const json* v = nullptr;
      if (props != f.end() && props->is_object())
        if (const auto it = props->find(p.name); it != props->end()) v = &*it;
      out.values.push_back(v ? value_of(p, *v) : RemoteValue{});
      page.bytes += sizeof(RemoteValue) + out.values.back().text.size();
    }
    page.bytes += sizeof(RemoteFeature) + out.wkb.size() + out.source_id.size();
    page.features.push_back(std::move(out));
  }
  if (const auto m = doc.find("numberMatched"); m != doc.end() && m->is_number_integer())
    page.number_matched = m->get<std::int64_t>();
  if (const auto links = doc.find("links"); links != doc.end() && links->is_array())
    for (const auto& l : *links)
      if (l.is_object() && l.value("rel", json()) == "next" && l.contains("href") && l["href"].is_string())
        page.next = l["href"].get<std::string>();
  return page;
}

void infer_schema(std::string_view text, core::Collection& collection) {
  const json doc = parse_document(text);
  json single;
  const json& features = features_of(doc, single);
  std::string geometry_type;
  std::vector<std::string> typed;  // properties seen with a value (the others' type is still open)
  for (const auto& f : features) {
    if (!f.is_object()) continue;
    if (const auto g = f.find("geometry"); g != f.end() && g->is_object() && g->contains("type") &&
                                            (*g)["type"].is_string()) {
      std::string t = (*g)["type"].get<std::string>();
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      geometry_type = geometry_type.empty() || geometry_type == t ? t : "GEOMETRY";
    }
    const auto props = f.find("properties");
    if (props == f.end() || !props->is_object()) continue;
    for (const auto& [name, v] : props->items())
      learn_property(collection, typed, name, v.is_null() ? std::nullopt : std::optional(type_of(v)));
  }
  collection.geometry_type = geometry_type.empty() ? "GEOMETRY" : geometry_type;
}

void learn_property(core::Collection& collection, std::vector<std::string>& typed, const std::string& name,
                    std::optional<core::PropertyType> type) {
  if (name.empty() || name.size() > 256) return;
  auto* known = const_cast<core::Property*>(collection.property(name));
  if (!known) {
    if (collection.properties.size() >= 1000) return;
    collection.properties.push_back({name, core::PropertyType::Text});
    known = &collection.properties.back();
  }
  if (!type) return;
  const auto t = *type;
  if (std::find(typed.begin(), typed.end(), name) == typed.end()) {
    typed.push_back(name);
    known->type = t;
    return;
  }
  if (known->type == t) return;
  if (known->type == core::PropertyType::Integer && t == core::PropertyType::Real) known->type = t;
  else if (!(known->type == core::PropertyType::Real && t == core::PropertyType::Integer))
    known->type = core::PropertyType::Text;
}

}  // namespace amis::federation
