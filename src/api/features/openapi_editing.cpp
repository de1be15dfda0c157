// OpenAPI: Part 4 writes on items, change sets and their review, item history,
// uploads and the audit log (api/editing/editing_api.cpp).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

json changeset_parameter() {
  return query_parameter(
      "changeset",
      "The id of one of the caller's draft change sets to add this change to; without it the "
      "change goes into a change set of its own (published at once if the caller may publish, "
      "else submitted for review).",
      {{"type", "integer"}, {"minimum", 0}});
}

json if_match_parameter() {
  return {{"name", "If-Match"},
          {"in", "header"},
          {"required", false},
          {"description",
           "The ETag of the feature as last read (or *): the write is refused with 412 when the "
           "feature has changed since."},
          {"schema", {{"type", "string"}}}};
}

json feature_body(const core::Collection& c) {
  const json schema = ref("schemas", "featureGeoJSON");
  return {{"required", true},
          {"description", "A GeoJSON Feature with the properties of " + c.id + "."},
          {"content",
           {{"application/geo+json", {{"schema", schema}}},
            {"application/json", {{"schema", schema}}}}}};
}

// 200/201 when published at once, 202 when the change waits for review.
json write_responses(int published, const char* published_what) {
  json headers = {
      {"ETag",
       {{"description", "The feature's new entity tag."}, {"schema", {{"type", "string"}}}}}};
  if (published == 201)
    headers["Location"] = {{"description", "The new feature."}, {"schema", {{"type", "string"}}}};
  json r = error_responses({400, 401, 403, 404, 409, 412, 415});
  r[std::to_string(published)] =
      body_response(published_what, "application/json", ref("schemas", "writeResult"), headers);
  r["202"] = body_response(
      "The change is in a change set waiting for review (Location names it).", "application/json",
      ref("schemas", "writeResult"),
      {{"Location", {{"description", "The change set."}, {"schema", {{"type", "string"}}}}}});
  return r;
}

json feature_id() { return ref("parameters", "featureId"); }

json change_set_id() {
  return path_parameter("changeSetId", "The change set id.", {{"type", "integer"}});
}

json change_set_action(const std::string& action, const std::string& summary, bool comment) {
  json op = operation(action + "ChangeSet", summary, "Change sets", json::array({change_set_id()}),
                      error_responses({400, 401, 403, 404, 409, 415}));
  op["responses"]["200"] = body_response("The change set after the action", "application/json",
                                         ref("schemas", "changeSet"));
  json body = {{"type", "object"}, {"properties", json::object()}};
  if (comment) body["properties"]["comment"] = {{"type", "string"}, {"maxLength", 10000}};
  op["requestBody"] = {{"required", false},
                       {"content", {{"application/json", {{"schema", body}}}}}};
  op["security"] = signed_in(true);
  return op;
}

json paging(std::int64_t max) {
  return json::array(
      {query_parameter("limit", "At most this many.",
                       {{"type", "integer"}, {"minimum", 0}, {"maximum", max}, {"default", 100}}),
       query_parameter("offset", "Skip this many.",
                       {{"type", "integer"}, {"minimum", 0}, {"default", 0}})});
}

json editing_schemas() {
  json nullable_text = {{"type", "string"}, {"nullable", true}};
  json change_set = {
      {"type", "object"},
      {"required", {"id", "collection", "state", "links"}},
      {"properties",
       {{"id", {{"type", "integer"}}},
        {"collection", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"author", {{"type", "string"}}},
        {"country", nullable_text},
        {"state", {{"type", "string"}, {"enum", {"draft", "submitted", "approved", "rejected"}}}},
        {"created", {{"type", "string"}}},
        {"submitted", nullable_text},
        {"reviewed", nullable_text},
        {"reviewer", nullable_text},
        {"comment", {{"type", "string"}}},
        {"changes", {{"type", "integer"}}},
        {"links", {{"type", "array"}, {"items", ref("schemas", "link")}}}}}};
  json write_result = {
      {"type", "object"},
      {"required", {"changeSet", "published"}},
      {"properties",
       {{"changeSet", ref("schemas", "changeSet")},
        {"published", {{"type", "boolean"}}},
        {"feature", {{"type", "string"}, {"description", "The feature's URL, once published."}}}}}};
  json upload_result = {
      {"type", "object"},
      {"required", {"published", "summary"}},
      {"properties",
       {{"changeSet", {{"allOf", json::array({ref("schemas", "changeSet")})}, {"nullable", true}}},
        {"published", {{"type", "boolean"}}},
        {"summary",
         {{"type", "object"},
          {"properties",
           {{"features", {{"type", "integer"}}},
            {"inserted", {{"type", "integer"}}},
            {"replaced", {{"type", "integer"}}},
            {"deleted", {{"type", "integer"}}},
            {"unchanged", {{"type", "integer"}}}}}}}}}};
  json review = {
      {"type", "object"},
      {"properties",
       {{"changeSet", ref("schemas", "changeSet")},
        {"numberOfChanges", {{"type", "integer"}}},
        {"changesWithProblems", {{"type", "integer"}}},
        {"offset", {{"type", "integer"}}},
        {"changes",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"seq", {{"type", "integer"}}},
              {"operation", {{"type", "string"}}},
              {"featureId", {{"type", "integer"}, {"nullable", true}}},
              {"before", {{"type", "object"}, {"nullable", true}}},
              {"after", {{"type", "object"}, {"nullable", true}}},
              {"properties", {{"type", "array"}, {"items", {{"type", "object"}}}}},
              {"geometryChanged", {{"type", "boolean"}}},
              {"problems", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}}}}}}};
  json audit = {{"type", "object"},
                {"properties",
                 {{"entries",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "integer"}}},
                        {"time", {{"type", "string"}}},
                        {"actor", {{"type", "string"}}},
                        {"action", {{"type", "string"}}},
                        {"subject", {{"type", "string"}}},
                        {"detail", {{"type", "string"}}}}}}}}}}}};
  return {{"changeSet", change_set},
          {"changeSets",
           {{"type", "object"},
            {"properties",
             {{"changeSets", {{"type", "array"}, {"items", ref("schemas", "changeSet")}}},
              {"links", {{"type", "array"}, {"items", ref("schemas", "link")}}}}}}},
          {"writeResult", write_result},
          {"uploadResult", upload_result},
          {"review", review},
          {"auditLog", audit}};
}

}  // namespace

json create_item(const core::Collection& c) {
  json op = operation("createFeature_" + c.id, "Adds a feature to " + c.title, "Editing",
                      json::array({changeset_parameter()}),
                      write_responses(201, "The feature was published (Location names it)."));
  op["requestBody"] = feature_body(c);
  op["security"] = signed_in(true);
  return op;
}

json replace_item(const core::Collection& c) {
  json op = operation("replaceFeature_" + c.id, "Replaces a feature of " + c.title, "Editing",
                      {feature_id(), if_match_parameter(), changeset_parameter()},
                      write_responses(200, "The new version was published."));
  op["requestBody"] = feature_body(c);
  op["security"] = signed_in(true);
  return op;
}

json update_item(const core::Collection& c) {
  json op = operation("updateFeature_" + c.id,
                      "Changes some properties or the geometry of a feature of " + c.title,
                      "Editing", {feature_id(), if_match_parameter(), changeset_parameter()},
                      write_responses(200, "The new version was published."));
  const json patch = {{"type", "object"},
                      {"description",
                       "A JSON merge patch (RFC 7396) of the GeoJSON feature: the members given "
                       "replace the feature's, null removes a property."}};
  op["requestBody"] = {{"required", true},
                       {"content",
                        {{"application/merge-patch+json", {{"schema", patch}}},
                         {"application/geo+json", {{"schema", patch}}},
                         {"application/json", {{"schema", patch}}}}}};
  op["security"] = signed_in(true);
  return op;
}

json delete_item(const core::Collection& c) {
  json op = operation("deleteFeature_" + c.id, "Deletes a feature of " + c.title, "Editing",
                      {feature_id(), if_match_parameter(), changeset_parameter()},
                      write_responses(200, "The deletion was published."));
  op["security"] = signed_in(true);
  return op;
}

void add_editing_paths(json& paths, json& components) {
  const json schemas = editing_schemas();
  for (const auto& [name, schema] : schemas.items()) components["schemas"][name] = schema;
  const json collection_id = ref("parameters", "collectionId");

  json history =
      operation("getFeatureHistory", "Every published version of a feature, oldest first",
                "Editing", {collection_id, ref("parameters", "featureId"), ref("parameters", "f")},
                error_responses({400, 404}));
  history["responses"]["200"] = body_response(
      "A FeatureCollection of the versions, each with its 'version' (number, operation, changeSet, "
      "author, time)",
      "application/geo+json", ref("schemas", "featureCollectionGeoJSON"));
  paths["/collections/{collectionId}/items/{featureId}/history"] = {{"get", history}};

  json upload = operation(
      "uploadDataset",
      "Writes a dataset (GeoJSON, GeoPackage, FlatGeobuf, KML, CSV, or a zip of one or of a "
      "Shapefile) "
      "into a collection as one change set",
      "Editing",
      {collection_id,
       query_parameter("mode",
                       "merge: add and change features; replace: also delete the published "
                       "features of `country` "
                       "the upload lacks (country is then required).",
                       {{"type", "string"}, {"enum", {"merge", "replace"}}, {"default", "merge"}}),
       query_parameter("key", "The property that matches uploaded features with published ones."),
       query_parameter(
           "country",
           "The member state (ISO alpha-3) whose published features the upload is matched with "
           "(an editor's own, always)."),
       changeset_parameter()},
      error_responses({400, 401, 403, 404, 409}));
  const json binary = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  upload["requestBody"] = {
      {"required", true},
      {"description", "The file itself; its format is recognised from its content."},
      {"content",
       {{"application/geo+json", binary},
        {"application/geopackage+sqlite3", binary},
        {"application/zip", binary},
        {"application/vnd.google-earth.kml+xml", binary},
        {"application/flatgeobuf", binary},
        {"text/csv", binary},
        {"application/octet-stream", binary}}}};
  upload["responses"]["200"] =
      body_response("Published at once, or nothing to change (changeSet null)", "application/json",
                    ref("schemas", "uploadResult"));
  upload["responses"]["202"] =
      body_response("The changes wait for review in the change set Location names",
                    "application/json", ref("schemas", "uploadResult"));
  upload["security"] = signed_in(true);
  paths["/collections/{collectionId}/upload"] = {{"post", upload}};

  json grid = operation(
      "uploadGrid",
      "Replaces a coverage's grid (any format GDAL reads, georeferenced, north up) through a change set: "
      "converted to a Cloud Optimized GeoTIFF, served once a reviewer approves",
      "Editing",
      {collection_id, query_parameter("filename", "The file's name, for its extension (some formats need it)."),
       query_parameter("title", "The change set's title.")},
      error_responses({400, 401, 403, 404, 409}));
  grid["requestBody"] = {{"required", true},
                         {"description", "The grid file itself."},
                         {"content", {{"application/octet-stream", binary}, {"image/tiff", binary}}}};
  grid["responses"]["200"] = body_response("Published at once (a role that publishes directly)", "application/json",
                                           {{"type", "object"}});
  grid["responses"]["202"] = body_response("The grid waits for review in the change set Location names",
                                           "application/json", {{"type", "object"}});
  grid["security"] = signed_in(true);
  paths["/collections/{collectionId}/coverage/upload"] = {{"post", grid}};
  json grid_history = operation("getGridHistory", "The grids a coverage has had, from its approved uploads",
                                "Editing", json::array({collection_id}), error_responses({400, 404}));
  grid_history["responses"]["200"] = body_response("The versions in order, version 0 the grid first added", "application/json",
                                                   {{"type", "object"}});
  paths["/collections/{collectionId}/coverage/history"] = {{"get", grid_history}};

  json list = operation(
      "getChangeSets", "The change sets the caller may see", "Change sets",
      json::array({query_parameter("state", "Only change sets in this state.",
                                   {{"type", "string"},
                                    {"enum", {"draft", "submitted", "approved", "rejected"}}}),
                   query_parameter("collection", "Only change sets of this collection."),
                   query_parameter("author", "Only change sets by this user.")}),
      error_responses({400, 401}));
  for (const auto& p : paging(1000)) list["parameters"].push_back(p);
  list["responses"]["200"] = body_response("The change sets, newest first", "application/json",
                                           ref("schemas", "changeSets"));
  list["security"] = signed_in(false);
  json create =
      operation("createChangeSet", "Opens a draft change set that writes with ?changeset= add to",
                "Change sets", json::array(), error_responses({400, 401, 403, 415}));
  create["requestBody"] = {{"required", true},
                           {"content",
                            {{"application/json",
                              {{"schema",
                                {{"type", "object"},
                                 {"required", {"collection"}},
                                 {"properties",
                                  {{"collection", {{"type", "string"}}},
                                   {"title", {{"type", "string"}, {"maxLength", 500}}}}}}}}}}}};
  create["responses"]["201"] = body_response("The new draft (Location names it)",
                                             "application/json", ref("schemas", "changeSet"));
  create["security"] = signed_in(true);
  paths["/changesets"] = {{"get", list}, {"post", create}};

  json one = operation("getChangeSet", "A change set", "Change sets", json::array({change_set_id()}),
                       error_responses({401, 404}));
  one["responses"]["200"] =
      body_response("The change set", "application/json", ref("schemas", "changeSet"));
  one["security"] = signed_in(false);
  paths["/changesets/{changeSetId}"] = {{"get", one}};

  json review = operation("reviewChangeSet",
                          "Each change of a change set as before and after, with the problems "
                          "the editing rules find",
                          "Change sets", json::array({change_set_id()}), error_responses({400, 401, 404}));
  for (const auto& p : paging(1000)) review["parameters"].push_back(p);
  review["responses"]["200"] =
      body_response("The review", "application/json", ref("schemas", "review"));
  review["security"] = signed_in(false);
  paths["/changesets/{changeSetId}/review"] = {{"get", review}};

  paths["/changesets/{changeSetId}/submit"] = {
      {"post", change_set_action("submit", "The author submits a draft for review", false)}};
  paths["/changesets/{changeSetId}/withdraw"] = {
      {"post", change_set_action("withdraw",
                                 "The author takes a submitted change set back to draft", false)}};
  paths["/changesets/{changeSetId}/approve"] = {
      {"post", change_set_action("approve", "A reviewer publishes a submitted change set", true)}};
  paths["/changesets/{changeSetId}/reject"] = {
      {"post", change_set_action("reject", "A reviewer rejects a submitted change set", true)}};
  paths["/changesets/{changeSetId}/revert"] = {
      {"post", change_set_action(
                   "revert",
                   "A reviewer or admin writes a new change set undoing an approved one (returned)",
                   false)}};

  json audit = operation(
      "getAuditLog", "The audit log (admins), newest first", "Admin",
      {query_parameter("limit", "At most this many entries.",
                       {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}, {"default", 100}}),
       query_parameter("before", "Only entries with a smaller id (paging).",
                       {{"type", "integer"}, {"minimum", 0}})},
      error_responses({400, 401, 403}));
  audit["responses"]["200"] =
      body_response("The entries", "application/json", ref("schemas", "auditLog"));
  audit["security"] = signed_in(false);
  paths["/audit"] = {{"get", audit}};
}

}  // namespace amis::api::features::oas
