#include "api/tiles/tile_documents.hpp"

namespace amis::api::tiles {
namespace {

using json = nlohmann::json;

constexpr const char* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* kTilingSchemeRel = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";

json link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title) {
  json l = {{"href", href}, {"rel", rel}, {"type", type}};
  if (!title.empty()) l["title"] = title;
  return l;
}

const char* json_type(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return "integer";
    case core::PropertyType::Real: return "number";
    case core::PropertyType::Boolean: return "boolean";
    default: return "string";
  }
}

int geometry_dimension(const std::string& type) {
  if (type.find("POINT") != std::string::npos) return 0;
  if (type.find("LINESTRING") != std::string::npos) return 1;
  if (type.find("POLYGON") != std::string::npos) return 2;
  return -1;
}

}  // namespace

const std::vector<MapTileFormat>& map_tile_formats() {
  static const std::vector<MapTileFormat> formats = {
      {"png", "image/png"}, {"png8", "image/png; mode=8bit"}, {"jpeg", "image/jpeg"}, {"webp", "image/webp"}};
  return formats;
}

json tile_matrix_sets_json(const std::string& base) {
  json sets = json::array();
  for (const auto& s : amis::tiles::tile_matrix_sets())
    sets.push_back({{"id", s.id},
                    {"title", s.title},
                    {"uri", s.uri},
                    {"crs", s.crs_uri},
                    {"links", {link(base + "/tileMatrixSets/" + s.id, "self", "application/json", s.title)}}});
  return {{"tileMatrixSets", sets},
          {"links", {link(base + "/tileMatrixSets", "self", "application/json", "The tile matrix sets")}}};
}

json tile_matrix_set_json(const amis::tiles::TileMatrixSet& set) {
  json matrices = json::array();
  for (int level = 0; level <= set.max_level; ++level) {
    const auto m = set.matrix(level);
    matrices.push_back({{"id", std::to_string(level)},
                        {"scaleDenominator", m.scale_denominator},
                        {"cellSize", m.cell_size},
                        {"cornerOfOrigin", "topLeft"},
                        {"pointOfOrigin", {set.origin_x, set.origin_y}},
                        {"matrixWidth", m.matrix_width},
                        {"matrixHeight", m.matrix_height},
                        {"tileWidth", set.tile_size},
                        {"tileHeight", set.tile_size}});
  }
  json doc = {{"id", set.id},     {"title", set.title},
              {"uri", set.uri},   {"crs", set.crs_uri},
              {"orderedAxes", set.ordered_axes}, {"tileMatrices", matrices}};
  if (!set.well_known_scale_set.empty()) doc["wellKnownScaleSet"] = set.well_known_scale_set;
  return doc;
}

json tilesets_json(const std::string& base, const TilesetTarget& target) {
  json list = json::array();
  for (const auto& s : amis::tiles::tile_matrix_sets()) {
    const std::string href = target.prefix + "/" + s.id + target.query;
    list.push_back({{"title", target.title + " (" + s.id + ")"},
                    {"dataType", target.vector ? "vector" : "map"},
                    {"crs", s.crs_uri},
                    {"tileMatrixSetURI", s.uri},
                    {"links",
                     {link(href, "self", "application/json", "The tileset"),
                      link(base + "/tileMatrixSets/" + s.id, kTilingSchemeRel, "application/json", s.title)}}});
  }
  return {{"tilesets", list}, {"links", {link(target.prefix + target.query, "self", "application/json", "")}}};
}

json tileset_json(const std::string& base, const TilesetTarget& target, const amis::tiles::TileMatrixSet& set) {
  const std::string self = target.prefix + "/" + set.id;
  json links = {link(self + target.query, "self", "application/json", "This tileset"),
                link(base + "/tileMatrixSets/" + set.id, kTilingSchemeRel, "application/json", set.title)};
  const std::string templ = self + "/{tileMatrix}/{tileRow}/{tileCol}";
  if (target.vector) {
    json item = link(templ + target.query, "item", kMvtMediaType, "Mapbox vector tiles");
    item["templated"] = true;
    links.push_back(item);
  } else {
    for (const auto& f : map_tile_formats()) {
      json item = link(templ + (target.query.empty() ? "?f=" : target.query + "&f=") + f.f, "item", f.media_type,
                       std::string("Map tiles (") + f.f + ")");
      item["templated"] = true;
      links.push_back(item);
    }
  }
  json doc = {{"title", target.title},
              {"dataType", target.vector ? "vector" : "map"},
              {"crs", set.crs_uri},
              {"tileMatrixSetURI", set.uri},
              {"links", links}};
  core::Envelope extent;
  json layers = json::array();
  for (const auto& c : target.layers) {
    if (c.extent) extent.expand(*c.extent);
    if (!target.vector) continue;
    json properties = json::object();
    for (const auto& p : c.properties) properties[p.name] = {{"type", json_type(p.type)}};
    json layer = {{"id", c.id},
                  {"title", c.title},
                  {"dataType", "vector"},
                  {"propertiesSchema", {{"type", "object"}, {"properties", properties}}}};
    if (const int d = geometry_dimension(c.geometry_type); d >= 0) layer["geometryDimension"] = d;
    layers.push_back(layer);
  }
  if (target.vector) doc["layers"] = layers;
  if (!extent.empty())
    doc["boundingBox"] = {{"lowerLeft", {extent.min_x, extent.min_y}},
                          {"upperRight", {extent.max_x, extent.max_y}},
                          {"crs", kCrs84}};
  return doc;
}

}  // namespace amis::api::tiles
