#include "api/records/records_documents.hpp"
#include "api/features/documents.hpp"
#include "api/coverages/coverage_documents.hpp"

#include "api/common/downloads.hpp"

#include "core/crs.hpp"
#include "core/filter_functions.hpp"

namespace amis::api::features {
namespace {

using nlohmann::json;

json crs_list() {
  json list = json::array();
  for (const auto& crs : core::advertised_crs()) list.push_back(crs.uri());
  return list;
}

json link(const std::string& href, const char* rel, const char* type, const std::string& title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

}  // namespace

const std::vector<std::string>& conformance_classes() {
  static const std::vector<std::string> classes = {
      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
      "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
      "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
      "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
      "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
      "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
      "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
      "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
      "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
      "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
      "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
      "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
      "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
      "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
      "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
      "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
      "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
      "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
      "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
      "http://www.opengis.net/spec/cql2/1.0/conf/array-functions",
      "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
      "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic",
      "http://www.opengis.net/spec/cql2/1.0/conf/functions",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
      "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/jpeg",
      "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
      "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
  };
  static const std::vector<std::string> with_records = [] {
    auto all = classes;
    const auto& records = records::records_conformance_classes();
    all.insert(all.end(), records.begin(), records.end());
    const auto& coverages = coverages::coverages_conformance_classes();
    all.insert(all.end(), coverages.begin(), coverages.end());
    return all;
  }();
  return with_records;
}

json landing_page_json(const std::string& base, const std::string& title,
                       const std::string& description) {
  return {
      {"title", title},
      {"description", description},
      {"links",
       {link(base + "/?f=json", "self", "application/json", "This document"),
        link(base + "/?f=html", "alternate", "text/html", "This document as HTML"),
        link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
             "The API definition (OpenAPI 3.0)"),
        link(base + "/api?f=html", "service-doc", "text/html", "The API documentation"),
        link(base + "/conformance", "conformance", "application/json",
             "Conformance classes implemented"),
        link(base + "/collections", "data", "application/json", "The feature collections"),
        link(base + "/countries", "related", "application/json", "Country investment profiles"),
        link(records::catalog_path(base), "http://www.opengis.net/def/rel/ogc/1.0/catalog", "application/json",
             "The metadata catalogue (OGC API - Records)"),
        link(records::catalog_path(base) + "/items", "search", "application/geo+json",
             "Search the metadata catalogue"),
        link(base + "/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", "application/json",
             "The tile matrix sets"),
        link(base + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "application/json",
             "Vector tiles of all collections"),
        link(base + "/map/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map", "application/json",
             "Map tiles of all collections")}},
  };
}

json conformance_json(const std::string& base) {
  return {{"conformsTo", conformance_classes()},
          {"links",
           {link(base + "/conformance?f=json", "self", "application/json", "This document"),
            link(base + "/conformance?f=html", "alternate", "text/html", "This document as HTML")}}};
}

json collection_json(const std::string& base, const core::Collection& c) {
  const std::string href = base + "/collections/" + c.id;
  json doc = {
      {"id", c.id},
      {"title", c.title},
      {"description", c.description},
      {"keywords", c.keywords},
      {"itemType", "feature"},
      {"crs", crs_list()},
      {"storageCrs", kCrs84},
      {"links",
       {link(href + "?f=json", "self", "application/json", "This collection"),
        link(href + "?f=html", "alternate", "text/html", "This collection as HTML"),
        link(href + "/items?f=json", "items", "application/geo+json", "The features (GeoJSON)"),
        link(href + "/items?f=html", "items", "text/html", "The features (HTML)"),
        link(href + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
             "application/schema+json", "The queryable properties"),
        link(href + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", "application/json",
             "Vector tiles (MVT)"),
        link(href + "/map/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map", "application/json",
             "Map tiles"),
        link(href + "/styles", "http://www.opengis.net/def/rel/ogc/1.0/styles", "application/json",
             "The styles of the collection")}},
  };
  // The whole collection as one file, through WFS (which has no page limit).
  const std::string whole = base + "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=amis:" + c.id +
                            "&OUTPUTFORMAT=";
  doc["links"].push_back(link(whole + "application/json", "enclosure", "application/geo+json",
                              "All features as GeoJSON"));
  for (const auto& f : api::download_formats())
    doc["links"].push_back(link(whole + f.name, "enclosure", f.media_type,
                                std::string("All features as ") + f.name));
  if (!c.licence.empty()) doc["license"] = c.licence;
  if (!c.attribution.empty()) doc["attribution"] = c.attribution;
  json extent = json::object();
  if (c.extent && !c.extent->empty())
    extent["spatial"] = {{"bbox", {{c.extent->min_x, c.extent->min_y, c.extent->max_x, c.extent->max_y}}},
                         {"crs", kCrs84}};
  if (c.temporal_extent) {
    // The extent is in date-times even for a date property: a day runs from its
    // first to its last second.
    auto bound = [](const std::optional<std::string>& t, const char* time_of_day) {
      if (!t) return json(nullptr);
      return json(t->size() == 10 ? *t + time_of_day : *t);
    };
    json interval = json::array({bound(c.temporal_extent->start, "T00:00:00Z"),
                                 bound(c.temporal_extent->end, "T23:59:59Z")});
    extent["temporal"] = {{"interval", json::array({interval})},
                          {"trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}};
  }
  if (!extent.empty()) doc["extent"] = extent;
  return doc;
}

namespace {

json geometry_schema(const std::string& type) {
  static const std::pair<const char*, const char*> kFormats[] = {
      {"POINT", "geometry-point"}, {"LINESTRING", "geometry-linestring"},
      {"POLYGON", "geometry-polygon"}, {"MULTIPOINT", "geometry-multipoint"},
      {"MULTILINESTRING", "geometry-multilinestring"}, {"MULTIPOLYGON", "geometry-multipolygon"},
      {"GEOMETRYCOLLECTION", "geometry-geometrycollection"}};
  for (const auto& [name, format] : kFormats)
    if (type == name) return {{"format", format}, {"title", "Geometry"}};
  return {{"format", "geometry-any"}, {"title", "Geometry"}};
}

json property_schema(const core::Property& p) {
  switch (p.type) {
    case core::PropertyType::Integer: return {{"type", "integer"}, {"title", p.name}};
    case core::PropertyType::Real: return {{"type", "number"}, {"title", p.name}};
    case core::PropertyType::Boolean: return {{"type", "boolean"}, {"title", p.name}};
    case core::PropertyType::Date: return {{"type", "string"}, {"format", "date"}, {"title", p.name}};
    case core::PropertyType::DateTime:
      return {{"type", "string"}, {"format", "date-time"}, {"title", p.name}};
    case core::PropertyType::Text: return {{"type", "string"}, {"title", p.name}};
  }
  return {{"type", "string"}};
}

}  // namespace

json queryables_json(const std::string& base, const core::Collection& c,
                    const std::map<std::string, std::vector<std::string>>& values) {
  json properties = json::object();
  if (!c.property("geometry")) properties["geometry"] = geometry_schema(c.geometry_type);
  for (const auto& p : c.properties) {
    properties[p.name] = property_schema(p);
    if (auto v = values.find(p.name); v != values.end()) properties[p.name]["enum"] = v->second;
  }
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", base + "/collections/" + c.id + "/queryables"},
          {"type", "object"},
          {"title", c.title},
          {"properties", properties},
          {"additionalProperties", false}};
}

json functions_json(const std::string& base) {
  json list = json::array();
  for (const auto& f : core::filter_functions()) {
    json arguments = json::array();
    for (const auto& type : f.arguments) arguments.push_back({{"type", {type}}});
    list.push_back({{"name", f.name}, {"description", f.description},
                    {"arguments", arguments}, {"returns", {f.returns}}});
  }
  return {{"functions", list},
          {"links", {link(base + "/functions?f=json", "self", "application/json", "This document")}}};
}

json collections_json(const std::string& base, const std::vector<core::Collection>& collections) {
  json list = json::array();
  for (const auto& c : collections) list.push_back(collection_json(base, c));
  return {{"crs", crs_list()},
          {"links",
           {link(base + "/collections?f=json", "self", "application/json", "This document"),
            link(base + "/collections?f=html", "alternate", "text/html", "This document as HTML")}},
          {"collections", list}};
}

}  // namespace amis::api::features
