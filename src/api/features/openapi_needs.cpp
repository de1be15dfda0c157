// OpenAPI: the needs and requirements register (api/needs, issue 18).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const json kObject = {{"type", "object"}};
const json kText = {{"type", "string"}};

json enum_of(std::initializer_list<const char*> values) { return {{"type", "string"}, {"enum", values}}; }

json kinds() { return enum_of({"dataset", "service", "data-problem"}); }
json statuses() { return enum_of({"new", "triaged", "planned", "in-progress", "done", "declined", "duplicate"}); }
json priorities() { return enum_of({"low", "normal", "high", "urgent"}); }

json need_id() { return path_parameter("needId", "The need's number.", {{"type", "integer"}, {"minimum", 0}}); }

json need_schema() {
  const json nullable_text = {{"type", "string"}, {"nullable", true}};
  return {{"type", "object"},
          {"required", {"id", "kind", "title", "status", "priority", "submitter", "created", "updated"}},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"kind", kinds()},
            {"title", kText},
            {"description", kText},
            {"collection", nullable_text},
            {"featureId", {{"type", "integer"}, {"nullable", true}}},
            {"submitter", kText},
            {"country", nullable_text},
            {"created", {{"type", "string"}, {"format", "date-time"}}},
            {"updated", {{"type", "string"}, {"format", "date-time"}}},
            {"status", statuses()},
            {"priority", priorities()},
            {"assignee", nullable_text},
            {"resolution", kText},
            {"comments", {{"type", "integer"}}},
            {"links", {{"type", "array"}, {"items", kObject}}},
            {"notes", {{"type", "array"}, {"items", kObject}}}}}};
}

json submission_schema() {
  return {{"type", "object"},
          {"required", {"kind", "title"}},
          {"additionalProperties", false},
          {"properties",
           {{"kind", kinds()},
            {"title", {{"type", "string"}, {"minLength", 3}, {"maxLength", 200}}},
            {"description", {{"type", "string"}, {"maxLength", 10000}}},
            {"collection", {{"type", "string"}, {"description", "The collection it is about (must exist)"}}},
            {"featureId", {{"type", "integer"}, {"description", "The feature of `collection` (a data problem: required)"}}},
            {"country", {{"type", "string"}, {"description", "The member state (an editor's own; reviewers any)"}}}}}};
}

json triage_schema() {
  return {{"type", "object"},
          {"additionalProperties", false},
          {"minProperties", 1},
          {"properties",
           {{"status", statuses()},
            {"priority", priorities()},
            {"assignee", {{"type", "string"}, {"description", "A reviewer or administrator; \"\" for none"}}},
            {"resolution", {{"type", "string"}, {"maxLength", 10000}}}}}};
}

json comment_schema() {
  json text = {{"type", "string"}, {"minLength", 1}, {"maxLength", 10000}};
  return {{"type", "object"},
          {"required", {"text"}},
          {"additionalProperties", false},
          {"properties", {{"text", text}}}};
}

json with_body(json op, json schema) {
  op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
  op["security"] = signed_in(true);
  return op;
}

json format_parameter() { return query_parameter("f", "json (default) or csv", enum_of({"json", "csv"})); }

}  // namespace

void add_needs_paths(json& paths, json& /*components*/) {
  json list = operation(
      "getNeeds", "The needs the caller may see (an editor: their own; the expert team: all), newest first", "Needs",
      json::array({query_parameter("kind", "Only this kind", kinds()), query_parameter("status", "Only this status", statuses()),
                   query_parameter("country", "Only needs of this member state", kText),
                   query_parameter("assignee", "Only needs assigned to this account", kText),
                   query_parameter("submitter", "Only needs of this account", kText),
                   query_parameter("collection", "Only needs about this collection", kText),
                   query_parameter("limit", "At most this many (JSON: 1 to 1000, default 100; CSV: all, at most 100000)",
                                   {{"type", "integer"}, {"minimum", 1}}),
                   query_parameter("offset", "Skip this many (JSON only)", {{"type", "integer"}, {"minimum", 0}}),
                   format_parameter()}),
      error_responses({400, 401}));
  list["responses"]["200"] = body_response("A page of needs (JSON), or every need of the filter (CSV, streamed)",
                                           "application/json", kObject);
  list["responses"]["200"]["content"]["text/csv"] = {{"schema", kText}};
  list["security"] = signed_in(false);
  json submit = with_body(operation("submitNeed", "Submits a need (any signed-in account)", "Needs", json::array(),
                                    error_responses({400, 401, 403, 409, 415})),
                          submission_schema());
  submit["responses"]["201"] = body_response("The need as registered", "application/json", need_schema());
  paths["/needs"] = {{"get", list}, {"post", submit}};

  json summary = operation("getNeedsSummary", "Public counts of needs by kind and status and by member state", "Needs",
                           json::array({format_parameter()}), error_responses({400}));
  summary["responses"]["200"] = body_response("The counts (no names, no titles)", "application/json", kObject);
  summary["responses"]["200"]["content"]["text/csv"] = {{"schema", kText}};
  paths["/needs/summary"] = {{"get", summary}};

  json get = operation("getNeed", "A need with its comments and history (its submitter and the expert team)", "Needs",
                       json::array({need_id()}), error_responses({400, 401, 404}));
  get["responses"]["200"] = body_response("The need", "application/json", need_schema());
  get["security"] = signed_in(false);
  json triage = with_body(operation("triageNeed", "Triages a need: status, priority, assignee, resolution (reviewers "
                                                  "and administrators)",
                                    "Needs", json::array({need_id()}), error_responses({400, 401, 403, 404, 415})),
                          triage_schema());
  triage["responses"]["200"] = body_response("The need after the triage", "application/json", need_schema());
  paths["/needs/{needId}"] = {{"get", get}, {"patch", triage}};

  json comment = with_body(operation("commentNeed", "Adds a comment of the expert team to a need", "Needs",
                                     json::array({need_id()}), error_responses({400, 401, 403, 404, 409, 415})),
                           comment_schema());
  comment["responses"]["201"] = body_response("The comment", "application/json", kObject);
  paths["/needs/{needId}/comments"] = {{"post", comment}};
}

}  // namespace amis::api::features::oas
