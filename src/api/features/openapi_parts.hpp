#pragma once
// The pieces the OpenAPI document is assembled from, one file per area
// (openapi.cpp: capabilities and features; openapi_editing.cpp: writes, change
// sets, history, uploads, audit; openapi_accounts.cpp: sessions and the admin API;
// openapi_maps.cpp: styles, tiles, WMS, WFS, WMTS, static files and the portal;
// openapi_records.cpp: the metadata catalogue; openapi_usage.cpp: the usage reports).
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "core/collection.hpp"

namespace amis::api::features::oas {

using nlohmann::json;

json ref(const std::string& kind, const std::string& name);
// A parameter of the path, a string unless `schema` says otherwise.
json path_parameter(const std::string& name, const std::string& description,
                    json schema = {{"type", "string"}});
json query_parameter(const std::string& name, const std::string& description,
                     json schema = {{"type", "string"}}, bool required = false);
// The shared error responses for these statuses (components/responses), keyed by status.
json error_responses(std::initializer_list<int> statuses);
// A response whose body is `media` with `schema` (a $ref name or an inline schema).
json body_response(const std::string& description, const std::string& media, json schema,
                   json headers = nullptr);
json operation(const std::string& id, const std::string& summary, const std::string& tag,
               json parameters, json responses);
// A GET answered as JSON or HTML (f=json|html, or Accept), tagged `tag`.
json negotiated_page(const std::string& id, const std::string& summary, const std::string& tag, json parameters,
                     std::initializer_list<int> errors);
// Who may call: bearer token or session cookie; `unsafe` adds the X-CSRF-Token a
// cookie needs on POST, PUT, PATCH and DELETE.
json signed_in(bool unsafe);

// Components the areas add to: responses for every error status, security schemes
// and the schemas of editing and accounts.
void add_shared_components(json& components);

// What the HTTP server itself may answer to any operation: 304 to a GET whose
// If-None-Match names the ETag, 413 for a body over the limit, 503 when busy.
void add_server_responses(json& paths);

// Part 4 writes on one collection's items and item (on its own paths, next to the reads).
json create_item(const core::Collection& c);
json replace_item(const core::Collection& c);
json update_item(const core::Collection& c);
json delete_item(const core::Collection& c);

void add_editing_paths(json& paths, json& components);
void add_account_paths(json& paths, json& components);
void add_node_paths(json& paths, json& components);
void add_publication_paths(json& paths, json& components);
void add_map_paths(json& paths, json& components);
void add_records_paths(json& paths, json& components);
void add_workplan_paths(json& paths, json& components);  // openapi_workplan.cpp
void add_countries_paths(json& paths, json& components);  // openapi_countries.cpp
void add_usage_paths(json& paths, json& components);
void add_needs_paths(json& paths, json& components);  // openapi_needs.cpp
void add_coverage_paths(json& paths);

}  // namespace amis::api::features::oas
