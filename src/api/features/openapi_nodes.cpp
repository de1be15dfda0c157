// OpenAPI: the national nodes of the admin API (api/admin/nodes_api.cpp, issue 16).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

json node_schema() {
  return {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"url", {{"type", "string"}}},
            {"kind", {{"type", "string"}, {"enum", {"amis", "csw", "records", "oapif", "wfs", "wms", "wmts"}}}},
            {"country", {{"type", "string"}}},
            {"schedule", {{"type", "string"}, {"description", "30m, 6h, 1d ... or off"}}},
            {"hasToken", {{"type", "boolean"}, {"description", "The token itself is never shown."}}},
            {"rateLimit", {{"type", "number"}, {"nullable", true},
                           {"description", "Requests a second this AMIS sends the node at most; null: no limit"}}},
            {"created", {{"type", "string"}}},
            {"nextRun", {{"type", "string"}, {"nullable", true}}},
            {"failedRunsInARow", {{"type", "integer"}}},
            {"lastRun", {{"nullable", true}, {"allOf", json::array({ref("schemas", "harvestRun")})}}},
            {"sync", {{"nullable", true}, {"allOf", json::array({ref("schemas", "syncReport")})}}}}}};
}

// The latest sync of an AMIS node's change feed (federation::sync_json).
json sync_schema() {
  const json count = {{"type", "integer"}};
  return {{"type", "object"},
          {"properties",
           {{"status", {{"type", "string"}, {"enum", {"synced", "stopped", "failed", "skipped"}}}},
            {"started", {{"type", "string"}}},
            {"finished", {{"type", "string"}}},
            {"applied", count},
            {"alreadyApplied", count},
            {"sequence", {{"type", "integer"}, {"description", "The node's last sequence applied here"}}},
            {"stoppedAt", {{"type", "integer"}, {"nullable", true}}},
            {"reason", {{"type", "string"}, {"nullable", true}}},
            {"skipped",
             {{"type", "string"},
              {"nullable", true},
              {"description", "What an administrator skipped before this run, by whom and why it had stopped"}}},
            {"seconds", {{"type", "number"}}}}}};
}

// GET /changes: this AMIS's approved change sets as a feed (api/changes/changes_api.cpp).
json change_feed_path() {
  const json integer = {{"type", "integer"}};
  json feed = operation(
      "getChanges", "The approved change sets of features after a sequence number, in the order approved (for the "
                    "regional AMIS that syncs this node; a reviewer's or administrator's token)",
      "Change sets",
      json::array({query_parameter("since", "The last sequence already read (0: from the start)",
                                   {{"type", "integer"}, {"minimum", 0}}),
                   query_parameter("limit", "At most this many change sets (1..1000, 100)",
                                   {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}})}),
      error_responses({400, 401, 403}));
  feed["security"] = signed_in(false);
  const json operation_schema = {
      {"type", "object"},
      {"properties",
       {{"op", {{"type", "string"}, {"enum", {"insert", "replace", "delete"}}}},
        {"id", integer},
        {"base", {{"type", "string"}, {"description", "The digest (ETag) of the version replaced"}}},
        {"feature", {{"type", "object"}, {"description", "The GeoJSON Feature written"}}}}}};
  const json entry = {
      {"type", "object"},
      {"properties",
       {{"sequence", integer},
        {"changeSet", integer},
        {"collection", {{"type", "string"}}},
        {"country", {{"type", "string"}}},
        {"approved", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"operations", {{"type", "array"}, {"items", operation_schema}}}}}};
  feed["responses"]["200"] = body_response(
      "A page of the feed (a next link while there is more)", "application/json",
      {{"type", "object"},
       {"properties", {{"changes", {{"type", "array"}, {"items", entry}}}, {"links", {{"type", "array"}}}}}});
  return {{"get", feed}};
}

json run_schema() {
  const json count = {{"type", "integer"}};
  return {{"type", "object"},
          {"properties",
           {{"id", count},
            {"node", {{"type", "string"}}},
            {"status", {{"type", "string"}, {"enum", {"succeeded", "partial", "failed"}}}},
            {"started", {{"type", "string"}}},
            {"finished", {{"type", "string"}}},
            {"seen", count},
            {"added", count},
            {"updated", count},
            {"unchanged", count},
            {"withdrawn", count},
            {"failed", count},
            {"failures",
             {{"type", "array"},
              {"items",
               {{"type", "object"},
                {"properties", {{"sourceId", {{"type", "string"}}}, {"reason", {{"type", "string"}}}}}}}}},
            {"error", {{"type", "string"}}},
            {"seconds", {{"type", "number"}}},
            {"workSeconds", {{"type", "number"}}}}}};
}

json node_operation(const std::string& id, const std::string& summary, json parameters, bool unsafe,
                    std::initializer_list<int> errors) {
  json op = operation(id, summary, "Admin", std::move(parameters), error_responses(errors));
  op["security"] = signed_in(unsafe);
  return op;
}

json node_name() { return path_parameter("name", "The node's name."); }

}  // namespace

void add_node_paths(json& paths, json& components) {
  components["schemas"]["node"] = node_schema();
  components["schemas"]["harvestRun"] = run_schema();
  components["schemas"]["syncReport"] = sync_schema();
  paths["/changes"] = change_feed_path();

  json list = node_operation("getNodes", "The national nodes harvested into the catalogue", json::array(), false,
                             {400, 401, 403});
  list["responses"]["200"] = body_response(
      "The nodes", "application/json",
      {{"type", "object"}, {"properties", {{"nodes", {{"type", "array"}, {"items", ref("schemas", "node")}}}}}});
  json add = node_operation("addNode", "Registers a node", json::array(), true, {400, 401, 403, 409, 415});
  add["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema",
           {{"type", "object"},
            {"required", {"name", "url", "kind", "country"}},
            {"additionalProperties", false},
            {"properties",
             {{"name", {{"type", "string"}, {"pattern", "^[a-z0-9_-]{2,40}$"}}},
              {"url", {{"type", "string"}, {"description", "http(s) URL of the node's service"}}},
              {"kind", {{"type", "string"}, {"enum", {"amis", "csw", "records", "oapif", "wfs", "wms", "wmts"}}}},
              {"country", {{"type", "string"}, {"description", "ISO alpha-3 of a member state"}}},
              {"schedule", {{"type", "string"}, {"description", "30m, 6h (default), 1d ... or off"}}},
              {"rateLimit", {{"oneOf", json::array({json{{"type", "number"}}, json{{"type", "string"}}})},
                             {"description", "Requests a second at most (2, 0.5) or \"30/min\"; absent: no limit"}}},
              {"token", {{"type", "string"}, {"description", "A bearer token the node asks for; never shown"}}}}}}}}}}}};
  add["responses"]["201"] = body_response("The node (Location names it)", "application/json", ref("schemas", "node"));
  paths["/admin/nodes"] = {{"get", list}, {"post", add}};

  json get = node_operation("getNode", "A node and its last run", json::array({node_name()}), false,
                            {400, 401, 403, 404});
  get["responses"]["200"] = body_response("The node", "application/json", ref("schemas", "node"));
  json remove = node_operation("removeNode", "Removes a node and withdraws its records from the catalogue",
                               json::array({node_name()}), true, {400, 401, 403, 404, 409});
  remove["responses"]["200"] = body_response(
      "Removed", "application/json",
      {{"type", "object"},
       {"properties",
        {{"name", {{"type", "string"}}}, {"removed", {{"type", "boolean"}}}, {"withdrawn", {{"type", "integer"}}}}}});
  json change = node_operation("changeNode", "Changes a node's schedule, token or rate limit (a merge patch: null clears)",
                               json::array({node_name()}), true, {400, 401, 403, 404, 415});
  const json settings = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties",
       {{"schedule", {{"type", "string"}, {"nullable", true}, {"description", "30m, 6h, 1d ... or off"}}},
        {"rateLimit", {{"nullable", true}, {"description", "Requests a second at most (2, 0.5) or \"30/min\"; null: none"}}},
        {"token", {{"type", "string"}, {"nullable", true}, {"description", "A bearer token; null or empty: none"}}}}}};
  change["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", settings}}},
                                        {"application/merge-patch+json", {{"schema", settings}}}}}};
  change["responses"]["200"] = body_response("The node as changed", "application/json", ref("schemas", "node"));
  paths["/admin/nodes/{name}"] = {{"get", get}, {"patch", change}, {"delete", remove}};

  json harvest = node_operation("harvestNode", "Queues a harvest of the node now (its report: /runs)",
                                json::array({node_name()}), true, {400, 401, 403, 404, 409});
  harvest["responses"]["202"] = body_response(
      "Queued", "application/json",
      {{"type", "object"},
       {"properties", {{"node", {{"type", "string"}}}, {"queued", {{"type", "boolean"}}}, {"runs", {{"type", "string"}}}}}});
  harvest["responses"]["200"] =
      body_response("The run's report (no background harvester)", "application/json", ref("schemas", "harvestRun"));
  paths["/admin/nodes/{name}/harvest"] = {{"post", harvest}};

  json runs = node_operation("getNodeRuns", "The node's latest harvest reports, newest first",
                             json::array({node_name(), query_parameter("limit", "At most this many (1..1000, 20)",
                                                                        {{"type", "integer"}, {"minimum", 1},
                                                                         {"maximum", 1000}})}),
                             false, {400, 401, 403, 404});
  runs["responses"]["200"] = body_response(
      "The reports", "application/json",
      {{"type", "object"}, {"properties", {{"runs", {{"type", "array"}, {"items", ref("schemas", "harvestRun")}}}}}});
  paths["/admin/nodes/{name}/runs"] = {{"get", runs}};

  json sync = node_operation("syncNode",
                             "Queues a sync of an AMIS node's approved change sets (its report: GET of this path); "
                             "{\"skip\": N} first passes over the change set or gap that stopped it at sequence N",
                             json::array({node_name()}), true, {400, 401, 403, 404, 409, 415});
  sync["requestBody"] = {
      {"required", false},
      {"content",
       {{"application/json",
         {{"schema",
           {{"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"skip", {{"type", "integer"}, {"minimum", 1}, {"description", "The report's stoppedAt"}}}}}}}}}}}};
  sync["responses"]["202"] = body_response(
      "Queued", "application/json",
      {{"type", "object"},
       {"properties",
        {{"node", {{"type", "string"}}}, {"queued", {{"type", "boolean"}}}, {"report", {{"type", "string"}}}}}});
  sync["responses"]["200"] =
      body_response("The sync's report (no background sync)", "application/json", ref("schemas", "syncReport"));
  json sync_state = node_operation("getNodeSync", "Whether the node's sync is queued or running, and its latest report",
                                   json::array({node_name()}), false, {400, 401, 403, 404});
  sync_state["responses"]["200"] = body_response(
      "The sync's state", "application/json",
      {{"type", "object"},
       {"properties",
        {{"node", {{"type", "string"}}},
         {"state", {{"type", "string"}, {"enum", {"queued", "running", "idle"}}}},
         {"report", {{"nullable", true}, {"allOf", json::array({ref("schemas", "syncReport")})}}}}}});
  paths["/admin/nodes/{name}/sync"] = {{"get", sync_state}, {"post", sync}};
}

}  // namespace amis::api::features::oas
