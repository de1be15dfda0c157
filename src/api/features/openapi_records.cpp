// OpenAPI: the metadata catalogue, OGC API - Records - Part 1 (api/records).
#include "api/features/openapi_parts.hpp"
#include "api/records/records_documents.hpp"
#include "api/records/records_request.hpp"
#include "catalog/catalog_query.hpp"

namespace amis::api::features::oas {
namespace {

const json kText = {{"type", "string"}};
const json kList = {{"type", "array"}, {"items", {{"type", "string"}}}};

json list_parameter(const std::string& name, const std::string& description) {
  json p = query_parameter(name, description, kList);
  p["style"] = "form";
  p["explode"] = false;
  return p;
}

json records_parameters() {
  return json::array(
      {ref("parameters", "f"),
       list_parameter("q", "Search terms, comma-separated: records matching any term (all words of a term), "
                           "ranked by relevance (stemmed full text over title, keywords, abstract)."),
       ref("parameters", "bbox"), ref("parameters", "datetime"),
       list_parameter("type", "Only records of these resource types (dataset, series, service, document, map, ...)."),
       list_parameter("ids", "Only the records with these identifiers."),
       list_parameter("externalIds", "Only records with these external identifiers ('value' or 'scheme:value')."),
       ref("parameters", "filter"), ref("parameters", "filter-lang"), ref("parameters", "filter-crs"),
       list_parameter("sortby", "Sort keys over the sortables: +title,-updated. Default: relevance for q, else id."),
       query_parameter("limit", "Records per page (streamed); the next link continues to the last record.",
                       {{"type", "integer"}, {"minimum", 1}, {"maximum", records::kMaxLimit},
                        {"default", records::kDefaultLimit}}),
       query_parameter("offset", "Records to skip (the next link carries it).",
                       {{"type", "integer"}, {"minimum", 0}, {"default", 0}}),
       query_parameter("facets", "true, or a list of keyword, country, theme, type, format: counts of each "
                                 "value over all matching records, most frequent first.", kText),
       query_parameter("federated", "true: the search includes the live national nodes (distributed search), "
                                    "merged and de-duplicated; the answer's `federation` member names each node "
                                    "and how it took part (answered, cut-off at the deadline, failed, skipped).",
                       {{"type", "boolean"}, {"default", false}}),
       query_parameter("hopCount", "With federated=true: how many catalogues the search may pass through "
                                   "(0 or 1: this one only); AMIS nodes are asked with hopCount - 1.",
                       {{"type", "integer"}, {"minimum", 0}, {"maximum", 10}, {"default", 2}}),
       query_parameter("deadline", "With federated=true: the milliseconds the search that asked this node has left; "
                                   "this node's search ends by then (AMIS nodes send it on to the next hop).",
                       {{"type", "integer"}, {"minimum", 1}, {"maximum", 600000}})});
}

// Records are written as features are (Part 4), through change sets and review.
json record_body() {
  const json object = {{"type", "object"}};
  return {{"required", true},
          {"description", "A Records GeoJSON record, or an ISO 19139 gmd:MD_Metadata document (validated against "
                          "the ISO schemas; refused with their messages)."},
          {"content",
           {{"application/geo+json", {{"schema", object}}},
            {"application/json", {{"schema", object}}},
            {"application/xml", {{"schema", kText}}},
            {"text/xml", {{"schema", kText}}},
            {"application/vnd.iso.19139+xml", {{"schema", kText}}}}}};
}

json record_write(const std::string& id, const std::string& summary, int published, bool body, bool conditional) {
  json parameters = json::array({query_parameter("changeset", "The id of one of the caller's draft change sets "
                                                              "of the catalogue to add this change to.",
                                                 {{"type", "integer"}, {"minimum", 0}})});
  if (id != "createRecord") parameters.push_back(path_parameter("recordId", "The record's identifier."));
  if (conditional)
    parameters.push_back({{"name", "If-Match"}, {"in", "header"}, {"required", false},
                          {"description", "The record's ETag as last read: 412 when it has changed since."},
                          {"schema", kText}});
  json op = operation(id, summary, "Catalogue", parameters, error_responses({400, 401, 403, 404, 409, 412, 415}));
  op["responses"][std::to_string(published)] =
      body_response("Published at once (the caller's role publishes directly)", "application/json",
                    ref("schemas", "writeResult"));
  op["responses"]["202"] = body_response("The change is in a change set waiting for review (Location names it)",
                                         "application/json", ref("schemas", "writeResult"));
  if (body) op["requestBody"] = record_body();
  op["security"] = signed_in(true);
  return op;
}

json schema_response(const std::string& description) {
  return body_response(description, "application/schema+json", {{"type", "object"}});
}

}  // namespace

void add_records_paths(json& paths, json& /*components*/) {
  const std::string p = std::string("/collections/") + records::kCatalogId;
  const json f = ref("parameters", "f");
  json catalog = operation("describeCatalog", "The metadata catalogue (a collection of itemType record)", "Catalogue",
                           json::array({f}), error_responses({400, 406}));
  catalog["responses"]["200"] = body_response("The catalogue", "application/json", {{"type", "object"}});
  paths[p] = {{"get", catalog}};

  json search = operation("getRecords", "Searches the records (OGC API - Records)", "Catalogue",
                          records_parameters(), error_responses({400, 406}));
  search["responses"]["200"] = body_response("The matching records (Records GeoJSON), with numberMatched, "
                                             "next/prev links and the facets asked for",
                                             "application/geo+json", {{"type", "object"}});
  search["responses"]["200"]["content"]["text/html"] = {{"schema", kText}};
  paths[p + "/items"] = {
      {"get", search},
      {"post", record_write("createRecord", "Submits a new record of a resource outside AMIS for review", 201, true,
                            false)}};

  json one = operation("getRecord", "One record: Records GeoJSON, HTML, or ISO 19139 XML (f=xml)", "Catalogue",
                       json::array({path_parameter("recordId", "The record's identifier."),
                                    query_parameter("f", "json, html or xml (ISO 19139 gmd:MD_Metadata).",
                                                    {{"type", "string"}, {"enum", {"json", "html", "xml"}}})}),
                       error_responses({400, 404, 406}));
  one["responses"]["200"] = body_response("The record", "application/geo+json", {{"type", "object"}});
  one["responses"]["200"]["content"]["application/xml"] = {{"schema", kText}};
  one["responses"]["200"]["content"]["text/html"] = {{"schema", kText}};
  paths[p + "/items/{recordId}"] = {
      {"get", one},
      {"put", record_write("replaceRecord", "Submits a new version of a record for review", 200, true, true)},
      {"delete", record_write("deleteRecord", "Submits the deletion of a record for review", 200, false, true)}};
  json history = operation("getRecordHistory", "Every approved version of a record, oldest first", "Catalogue",
                           json::array({path_parameter("recordId", "The record's identifier.")}),
                           error_responses({400, 404}));
  history["responses"]["200"] = body_response("The versions, each with its change set and record",
                                              "application/json", {{"type", "object"}});
  paths[p + "/items/{recordId}/history"] = {{"get", history}};

  json queryables = operation("getCatalogQueryables", "What a filter on the records may name", "Catalogue",
                              json::array({f}), error_responses({400, 406}));
  queryables["responses"]["200"] = schema_response("A JSON Schema of the queryables");
  paths[p + "/queryables"] = {{"get", queryables}};
  json sortables = operation("getCatalogSortables", "What sortby may name", "Catalogue", json::array({f}),
                             error_responses({400, 406}));
  sortables["responses"]["200"] = schema_response("A JSON Schema of the sortables");
  paths[p + "/sortables"] = {{"get", sortables}};
}

}  // namespace amis::api::features::oas
