#include "federation/collection_json.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace amis::federation {
namespace {

using json = nlohmann::json;

core::PropertyType type_named(std::string_view name) {
  for (auto t : {core::PropertyType::Integer, core::PropertyType::Real, core::PropertyType::Text,
                 core::PropertyType::Boolean, core::PropertyType::Date, core::PropertyType::DateTime})
    if (name == core::to_string(t)) return t;
  return core::PropertyType::Text;
}

}  // namespace

std::string with_gml_pages(const std::string& metadata) {
  json doc = json::parse(metadata, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("metadata", "the publication's metadata is not a JSON object");
  doc["pageFormat"] = "gml";
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool gml_pages(std::string_view metadata) {
  const json doc = json::parse(metadata, nullptr, false);
  if (!doc.is_object()) return false;
  const auto f = doc.find("pageFormat");
  return f != doc.end() && *f == "gml";
}

std::string collection_json(const core::Collection& c) {
  json doc{{"id", c.id},           {"title", c.title},     {"description", c.description},
           {"keywords", c.keywords}, {"licence", c.licence}, {"attribution", c.attribution},
           {"geometryType", c.geometry_type}};
  json props = json::array();
  for (const auto& p : c.properties) props.push_back({{"name", p.name}, {"type", core::to_string(p.type)}});
  doc["properties"] = std::move(props);
  if (c.extent) doc["extent"] = {c.extent->min_x, c.extent->min_y, c.extent->max_x, c.extent->max_y};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

core::Collection collection_from_json(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (!doc.is_object()) throw core::ParsingFailed("metadata", "a publication's metadata is not a JSON object");
  core::Collection c;
  try {
    c.id = doc.value("id", "");
    c.title = doc.value("title", "");
    c.description = doc.value("description", "");
    c.keywords = doc.value("keywords", std::vector<std::string>{});
    c.licence = doc.value("licence", "");
    c.attribution = doc.value("attribution", "");
    c.geometry_type = doc.value("geometryType", "GEOMETRY");
    for (const auto& p : doc.value("properties", json::array()))
      c.properties.push_back({p.value("name", ""), type_named(p.value("type", "text"))});
    if (auto e = doc.find("extent"); e != doc.end() && e->is_array() && e->size() == 4) {
      core::Envelope env;
      env.min_x = (*e)[0].get<double>();
      env.min_y = (*e)[1].get<double>();
      env.max_x = (*e)[2].get<double>();
      env.max_y = (*e)[3].get<double>();
      c.extent = env;
    }
  } catch (const json::exception& e) {
    throw core::ParsingFailed("metadata", std::string("a publication's metadata cannot be read: ") + e.what());
  }
  return c;
}

}  // namespace amis::federation
