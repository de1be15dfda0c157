#include "api/features/openapi.hpp"

#include "api/features/items_request.hpp"
#include "api/features/openapi_parts.hpp"

namespace amis::api::features {
namespace {

using nlohmann::json;
using oas::ref;

json json_response(const std::string& description, const std::string& schema,
                   const char* media = "application/json") {
  return {{"description", description},
          {"content", {{media, {{"schema", ref("schemas", schema)}}}, {"text/html", {{"schema", {{"type", "string"}}}}}}}};
}

json standard_responses(json ok) {
  return {{"200", std::move(ok)},
          {"400", ref("responses", "InvalidParameter")},
          {"404", ref("responses", "NotFound")},
          {"406", ref("responses", "NotAcceptable")},
          {"500", ref("responses", "ServerError")}};
}

json schema_for(core::PropertyType type) {
  switch (type) {
    case core::PropertyType::Integer: return {{"type", "integer"}};
    case core::PropertyType::Real: return {{"type", "number"}};
    case core::PropertyType::Boolean: return {{"type", "boolean"}};
    case core::PropertyType::Date: return {{"type", "string"}, {"format", "date"}};
    case core::PropertyType::DateTime: return {{"type", "string"}, {"format", "date-time"}};
    case core::PropertyType::Text: return {{"type", "string"}};
  }
  return {{"type", "string"}};
}

json components(std::int64_t default_limit, std::int64_t max_limit) {
  json link = {{"type", "object"},
               {"required", {"href"}},
               {"properties",
                {{"href", {{"type", "string"}}}, {"rel", {{"type", "string"}}},
                 {"type", {{"type", "string"}}}, {"title", {{"type", "string"}}}}}};
  json links = {{"type", "array"}, {"items", ref("schemas", "link")}};
  json feature = {{"type", "object"},
                  {"required", {"type", "geometry", "properties"}},
                  {"properties",
                   {{"type", {{"type", "string"}, {"enum", {"Feature"}}}},
                    {"id", {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}}}}}},
                    {"geometry", {{"type", "object"}, {"nullable", true}}},
                    {"properties", {{"type", "object"}, {"nullable", true}}},
                    {"links", links}}}};
  json schemas = {
      {"link", link},
      {"exception",
       {{"type", "object"},
        {"required", {"code"}},
        {"properties", {{"code", {{"type", "string"}}}, {"description", {{"type", "string"}}}}}}},
      {"landingPage",
       {{"type", "object"},
        {"required", {"links"}},
        {"properties",
         {{"title", {{"type", "string"}}}, {"description", {{"type", "string"}}}, {"links", links}}}}},
      {"confClasses",
       {{"type", "object"},
        {"required", {"conformsTo"}},
        {"properties", {{"conformsTo", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}},
      {"collection",
       {{"type", "object"},
        {"required", {"id", "links"}},
        {"properties",
         {{"id", {{"type", "string"}}}, {"title", {{"type", "string"}}},
          {"description", {{"type", "string"}}}, {"links", links},
          {"extent", {{"type", "object"}}}, {"itemType", {{"type", "string"}}},
          {"crs", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}},
      {"collections",
       {{"type", "object"},
        {"required", {"links", "collections"}},
        {"properties",
         {{"links", links},
          {"collections", {{"type", "array"}, {"items", ref("schemas", "collection")}}}}}}},
      {"featureGeoJSON", feature},
      {"featureCollectionGeoJSON",
       {{"type", "object"},
        {"required", {"type", "features"}},
        {"properties",
         {{"type", {{"type", "string"}, {"enum", {"FeatureCollection"}}}},
          {"features", {{"type", "array"}, {"items", ref("schemas", "featureGeoJSON")}}},
          {"links", links},
          {"timeStamp", {{"type", "string"}, {"format", "date-time"}}},
          {"numberMatched", {{"type", "integer"}, {"minimum", 0}}},
          {"numberReturned", {{"type", "integer"}, {"minimum", 0}}}}}}}};
  auto query_parameter = [](const char* name, const char* description, json schema, bool explode) {
    return json{{"name", name}, {"in", "query"}, {"description", description},
                {"required", false}, {"schema", std::move(schema)}, {"style", "form"},
                {"explode", explode}};
  };
  json parameters = {
      {"f", query_parameter("f", "The representation: json (GeoJSON for features) or html.",
                            {{"type", "string"}, {"enum", {"json", "html"}}}, true)},
      {"bbox", query_parameter("bbox", "Features intersecting this box: minLon,minLat,maxLon,maxLat (CRS84).",
                               {{"type", "array"}, {"minItems", 4}, {"maxItems", 6},
                                {"items", {{"type", "number"}}}}, false)},
      {"datetime", query_parameter("datetime",
                                   "An RFC 3339 instant or an interval (start/end, open ends as '..').",
                                   {{"type", "string"}}, true)},
      {"limit", query_parameter("limit", "The maximum number of features in the response. A download (f=csv, kml, "
                                         "gpkg, shapezip, fgb, or download=true) takes up to the server's "
                                         "max_download_features (1,000,000 by default) in one file; the maximum "
                                         "below is a page's.",
                                {{"type", "integer"}, {"minimum", 1}, {"maximum", max_limit},
                                 {"default", default_limit}}, true)},
      {"offset", query_parameter("offset", "How many matching features to skip (paging).",
                                 {{"type", "integer"}, {"minimum", 0}, {"default", 0}}, true)},
      {"after", query_parameter("after", "Keyset paging, as the next links use it: only features whose id is "
                                         "greater than this (the last id of the previous page), so a deep page "
                                         "costs what the first does. Id order only (not with sortby); offset then "
                                         "gives the page's position and skips nothing.",
                                {{"type", "integer"}}, true)},
      {"filter", query_parameter("filter", "A CQL2 filter (see the collection's queryables).",
                                 {{"type", "string"}}, true)},
      {"filter-lang", query_parameter("filter-lang", "The encoding of `filter`.",
                                      {{"type", "string"}, {"enum", {"cql2-text", "cql2-json"}},
                                       {"default", "cql2-text"}}, true)},
      {"filter-crs", query_parameter("filter-crs", "The CRS of geometries in `filter`.",
                                     {{"type", "string"}, {"format", "uri"},
                                      {"default", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}, true)},
      {"crs", query_parameter("crs", "The CRS of the geometries returned (see the collection's crs list).",
                              {{"type", "string"}, {"format", "uri"},
                               {"default", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}, true)},
      {"bbox-crs", query_parameter("bbox-crs", "The CRS of `bbox`.",
                                   {{"type", "string"}, {"format", "uri"},
                                    {"default", "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}, true)},
      {"itemsFormat", query_parameter("f", "The representation: json (GeoJSON) or html, or a download in CRS84: "
                                      "csv, kml, shapezip (zipped Shapefile), gpkg, fgb (FlatGeobuf).",
                                      {{"type", "string"},
                                       {"enum", {"json", "geojson", "html", "csv", "kml", "shapezip", "gpkg", "fgb"}}},
                                      true)},
      {"sortby", query_parameter("sortby", "Sort keys: +name (ascending) or -name (descending).",
                                 {{"type", "array"}, {"items", {{"type", "string"}}}}, false)},
      {"properties", query_parameter("properties", "The properties to return.",
                                     {{"type", "array"}, {"items", {{"type", "string"}}}}, false)},
      {"collectionId", {{"name", "collectionId"}, {"in", "path"}, {"required", true},
                        {"description", "The collection identifier."}, {"schema", {{"type", "string"}}}}},
      {"featureId", {{"name", "featureId"}, {"in", "path"}, {"required", true},
                     {"description", "The feature identifier."}, {"schema", {{"type", "string"}}}}}};
  json all = {{"schemas", schemas}, {"parameters", parameters}};
  oas::add_shared_components(all);
  return all;
}

// A read of the features API: parameters and responses in that order, then the tag.
json operation(const std::string& id, const std::string& summary, json parameters, json responses,
               const char* tag) {
  return oas::operation(id, summary, tag, std::move(parameters), std::move(responses));
}

json tags() {
  json all = json::array();
  for (const char* name : {"Capabilities", "Data", "Editing", "Change sets", "Session", "Admin", "Styles", "Tiles",
                           "OGC web services", "Files", "Catalogue", "Work plan", "Usage", "Needs"})
    all.push_back({{"name", name}});
  return all;
}

}  // namespace

json openapi_document(const std::string& base, const ServiceInfo& info,
                      const std::vector<core::Collection>& collections) {
  const json f = ref("parameters", "f");
  json paths = {
      {"/", {{"get", operation("getLandingPage", "The landing page", json::array({f}),
                               standard_responses(json_response("The landing page", "landingPage")),
                               "Capabilities")}}},
      {"/conformance",
       {{"get", operation("getConformance", "The conformance classes implemented", json::array({f}),
                          standard_responses(json_response("Conformance classes", "confClasses")),
                          "Capabilities")}}},
      {"/api", {{"get", operation("getApi", "This API definition", json::array({f}),
                                  standard_responses({{"description", "The OpenAPI document"},
                                                      {"content", {{"application/vnd.oai.openapi+json;version=3.0",
                                                                    {{"schema", {{"type", "object"}}}}}}}}),
                                  "Capabilities")}}},
      {"/health",
       {{"get", operation("getHealth", "The store's databases, for a load balancer's check (never cached)",
                          json::array(),
                          {{"200", {{"description", "The node can serve: its store file or primary answers"},
                                    {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
                           {"503", {{"description", "The node cannot serve: its store does not answer"},
                                    {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}},
                          "Capabilities")}}},
      {"/metrics",
       {{"get", operation("getMetrics",
                          "Prometheus metrics for operators: requests, latency, usage queue, store pool, process "
                          "(for the addresses of [metrics] allow; on a port of its own when [metrics] port is set)",
                          json::array(),
                          {{"200", {{"description", "The metrics, Prometheus text format 0.0.4"},
                                    {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}},
                           {"403", {{"description", "The caller's address is not in [metrics] allow"},
                                    {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}},
                          "Capabilities")}}},
      {"/functions",
       {{"get", operation("getFunctions", "The functions filters may call", json::array({f}),
                          standard_responses({{"description", "The functions"},
                                              {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}),
                          "Capabilities")}}},
      {"/collections",
       {{"get", operation("getCollections", "The feature collections", json::array({f}),
                          standard_responses(json_response("The collections", "collections")),
                          "Capabilities")}}}};
  for (const auto& c : collections) {
    const std::string p = "/collections/" + c.id;
    // json::array: a braced list of objects could be read as one object by some compilers.
    json item_parameters = json::array({ref("parameters", "bbox"), ref("parameters", "datetime"),
                            ref("parameters", "limit"), ref("parameters", "offset"),
                            ref("parameters", "after"), ref("parameters", "filter"), ref("parameters", "filter-lang"),
                            ref("parameters", "filter-crs"), ref("parameters", "sortby"),
                            ref("parameters", "properties"), ref("parameters", "crs"),
                            ref("parameters", "bbox-crs"), ref("parameters", "itemsFormat"),
                            oas::query_parameter("download", "true: the result as one file (an attachment), "
                                                 "up to max_download_features features, streamed; GeoJSON "
                                                 "keeps a next link only when the cap cut it.",
                                                 {{"type", "boolean"}, {"default", false}}),
                            oas::query_parameter("asOf", "The collection as it was published at this instant "
                                                 "(RFC 3339, e.g. 2026-11-27T10:00:00Z), from the feature versions; "
                                                 "only limit, offset and f=json go with it.",
                                                 {{"type", "string"}, {"format", "date-time"}})});
    for (const auto& prop : c.properties) {
      // A property named like a standard parameter cannot be a filter parameter.
      if (is_items_parameter(prop.name) || prop.name == "asOf") continue;
      item_parameters.push_back({{"name", prop.name}, {"in", "query"}, {"required", false},
                                 {"description", "Only features whose '" + prop.name + "' equals this value."},
                                 {"schema", schema_for(prop.type)}, {"style", "form"}, {"explode", false}});
    }
    paths[p] = {{"get", operation("describeCollection_" + c.id, "Describes " + c.title, json::array({f}),
                                  standard_responses(json_response("The collection", "collection")),
                                  "Data")}};
    paths[p + "/queryables"] = {{"get", operation(
        "getQueryables_" + c.id, "Queryable properties of " + c.title, json::array({f}),
        standard_responses({{"description", "A JSON Schema of the queryables"},
                            {"content", {{"application/schema+json", {{"schema", {{"type", "object"}}}}}}}}),
        "Data")}};
    json features = standard_responses(json_response("The features", "featureCollectionGeoJSON", "application/geo+json"));
    for (const char* media : {"text/csv", "application/vnd.google-earth.kml+xml", "application/zip",
                              "application/geopackage+sqlite3", "application/flatgeobuf"})
      features["200"]["content"][media] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
    paths[p + "/items"] = {
        {"get", operation("getFeatures_" + c.id, "Features of " + c.title, item_parameters, features, "Data")},
        {"post", oas::create_item(c)}};
    json one_feature = standard_responses(json_response("The feature", "featureGeoJSON", "application/geo+json"));
    one_feature["200"]["headers"]["ETag"] = {{"description", "The feature's version, for If-Match on writes."},
                                             {"schema", {{"type", "string"}}}};
    paths[p + "/items/{featureId}"] = {
        {"get", operation("getFeature_" + c.id, "One feature of " + c.title, {ref("parameters", "featureId"), ref("parameters", "crs"), f},
                          one_feature, "Data")},
        {"put", oas::replace_item(c)},
        {"patch", oas::update_item(c)},
        {"delete", oas::delete_item(c)}};
  }
  json components_of_all = components(info.limits.default_limit, info.limits.max_limit);
  oas::add_editing_paths(paths, components_of_all);
  oas::add_account_paths(paths, components_of_all);
  oas::add_node_paths(paths, components_of_all);
  oas::add_publication_paths(paths, components_of_all);
  oas::add_map_paths(paths, components_of_all);
  oas::add_records_paths(paths, components_of_all);
  oas::add_workplan_paths(paths, components_of_all);
  oas::add_countries_paths(paths, components_of_all);
  oas::add_usage_paths(paths, components_of_all);
  oas::add_needs_paths(paths, components_of_all);
  oas::add_coverage_paths(paths);
  oas::add_server_responses(paths);
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", info.title},
            {"description", info.description},
            {"version", "1.0.0"},
            {"license", {{"name", "Data licences are given per collection"}}}}},
          {"servers", {{{"url", base}}}},
          {"tags", tags()},
          // Credentials are optional on reads: with them a caller also sees the
          // restricted collections open to their role or member state.
          {"security", json::array({json::object(), {{"bearerToken", json::array()}},
                                    {{"sessionCookie", json::array()}}})},
          {"paths", paths},
          {"components", components_of_all}};
}

}  // namespace amis::api::features
