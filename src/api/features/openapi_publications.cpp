// OpenAPI: the collections of national nodes published here, cascaded or mirrored
// (api/admin/publications_api.cpp, issue 16).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

json publication_schema() {
  const json text = {{"type", "string"}};
  return {{"type", "object"},
          {"properties",
           {{"collection", text},
            {"node", text},
            {"sourceId", text},
            {"mode", {{"type", "string"}, {"enum", {"cascade", "mirror"}}}},
            {"created", text},
            {"synced", {{"type", "string"}, {"nullable", true}}},
            {"lastError", {{"type", "string"}, {"nullable", true}}}}}};
}

json mirror_report_schema() {
  const json count = {{"type", "integer"}};
  return {{"type", "object"},
          {"properties",
           {{"collection", {{"type", "string"}}},
            {"node", {{"type", "string"}}},
            {"seen", count},
            {"added", count},
            {"updated", count},
            {"deleted", count},
            {"unchanged", count},
            {"changeSet", {{"type", "integer"}, {"nullable", true}}},
            {"error", {{"type", "string"}, {"nullable", true}}},
            {"seconds", {{"type", "number"}}}}}};
}

json admin_operation(const std::string& id, const std::string& summary, json parameters, bool unsafe,
                     std::initializer_list<int> errors) {
  json op = operation(id, summary, "Admin", std::move(parameters), error_responses(errors));
  op["security"] = signed_in(unsafe);
  return op;
}

json collection_id() { return path_parameter("collection", "The published collection's id."); }

}  // namespace

void add_publication_paths(json& paths, json& components) {
  components["schemas"]["publication"] = publication_schema();
  components["schemas"]["mirrorReport"] = mirror_report_schema();

  json publish = admin_operation("publishNodeCollection",
                                 "Publishes a collection (OGC API) or feature type (WFS) of the node as an AMIS "
                                 "collection: cascaded (read through) or mirrored (copied now and on schedule)",
                                 json::array({path_parameter("name", "The node's name.")}), true,
                                 {400, 401, 403, 404, 409, 415});
  publish["responses"]["502"] =
      body_response("The node could not be read, or sent what cannot be read", "application/json", "exception");
  publish["responses"]["504"] = body_response("The node did not answer in time", "application/json", "exception");
  publish["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema",
           {{"type", "object"},
            {"required", {"sourceId", "collection"}},
            {"additionalProperties", false},
            {"properties",
             {{"sourceId", {{"type", "string"}, {"description", "The collection or feature type at the node"}}},
              {"collection", {{"type", "string"}, {"description", "The AMIS collection id"}}},
              {"mode", {{"type", "string"}, {"enum", {"cascade", "mirror"}}}}}}}}}}}}};
  publish["responses"]["201"] = body_response("Published", "application/json", ref("schemas", "publication"));
  paths["/admin/nodes/{name}/publish"] = {{"post", publish}};

  json list = admin_operation("getPublications", "The collections of nodes published here", json::array(), false,
                              {400, 401, 403});
  list["responses"]["200"] = body_response(
      "The publications", "application/json",
      {{"type", "object"},
       {"properties", {{"publications", {{"type", "array"}, {"items", ref("schemas", "publication")}}}}}});
  paths["/admin/publications"] = {{"get", list}};

  json get = admin_operation("getPublication", "A published collection", json::array({collection_id()}), false,
                             {400, 401, 403, 404});
  get["responses"]["200"] = body_response("The publication", "application/json", ref("schemas", "publication"));
  json withdraw = admin_operation("withdrawPublication",
                                  "Withdraws a published collection (a mirror's copy leaves the store)",
                                  json::array({collection_id()}), true, {400, 401, 403, 404});
  withdraw["responses"]["200"] = body_response(
      "Withdrawn", "application/json",
      {{"type", "object"},
       {"properties", {{"collection", {{"type", "string"}}}, {"withdrawn", {{"type", "boolean"}}}}}});
  paths["/admin/publications/{collection}"] = {{"get", get}, {"delete", withdraw}};

  json sync = admin_operation("syncPublication", "Copies a mirror again now: only what changed is written",
                              json::array({collection_id()}), true, {400, 401, 403, 404});
  sync["responses"]["200"] = body_response("The copy's report", "application/json", ref("schemas", "mirrorReport"));
  sync["responses"]["502"] =
      body_response("The node could not be read: nothing written", "application/json", ref("schemas", "mirrorReport"));
  paths["/admin/publications/{collection}/sync"] = {{"post", sync}};
}

}  // namespace amis::api::features::oas
