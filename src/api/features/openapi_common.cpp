// OpenAPI: the helpers every area's paths are written with, and the components
// they share (error responses, security schemes).
#include <map>

#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

struct ErrorKind {
  const char* name;
  const char* description;
};

// Every status a handler's core::OgcError can carry (core/error.hpp), answered
// as {"code", "description"} by api::with_ogcapi_errors.
const std::map<int, ErrorKind>& error_kinds() {
  static const std::map<int, ErrorKind> kinds = {
      {400, {"InvalidParameter", "A parameter or the body has an invalid value."}},
      {401, {"Unauthorized", "No valid credentials (bearer token or session cookie) were given."}},
      {403,
       {"Forbidden",
        "The caller may not do this (role, member state, or a missing X-CSRF-Token)."}},
      {404, {"NotFound", "The requested resource does not exist."}},
      {406, {"NotAcceptable", "The requested representation is not offered."}},
      {409,
       {"Conflict",
        "The resource is not in a state that allows this (it changed meanwhile, or exists)."}},
      {412,
       {"PreconditionFailed",
        "If-Match names a version of the feature that is no longer the current one."}},
      {415, {"UnsupportedMediaType", "The body's Content-Type is not one this operation reads."}},
      {429,
       {"TooManyRequests",
        "Too many failed logins for this name or address; wait for Retry-After."}},
      {500, {"ServerError", "A server error occurred."}}};
  return kinds;
}

}  // namespace

json ref(const std::string& kind, const std::string& name) {
  return {{"$ref", "#/components/" + kind + "/" + name}};
}

json path_parameter(const std::string& name, const std::string& description, json schema) {
  return {{"name", name},
          {"in", "path"},
          {"required", true},
          {"description", description},
          {"schema", std::move(schema)}};
}

json query_parameter(const std::string& name, const std::string& description, json schema,
                     bool required) {
  return {{"name", name},
          {"in", "query"},
          {"required", required},
          {"description", description},
          {"schema", std::move(schema)}};
}

json error_responses(std::initializer_list<int> statuses) {
  json r = json::object();
  for (int status : statuses)
    r[std::to_string(status)] = ref("responses", error_kinds().at(status).name);
  r["500"] = ref("responses", "ServerError");
  return r;
}

json body_response(const std::string& description, const std::string& media, json schema,
                   json headers) {
  if (schema.is_string()) schema = ref("schemas", schema.get<std::string>());
  json r = {{"description", description}, {"content", {{media, {{"schema", std::move(schema)}}}}}};
  if (!headers.is_null()) r["headers"] = std::move(headers);
  return r;
}

json operation(const std::string& id, const std::string& summary, const std::string& tag,
               json parameters, json responses) {
  return {{"operationId", id},
          {"summary", summary},
          {"tags", {tag}},
          {"parameters", std::move(parameters)},
          {"responses", std::move(responses)}};
}

json negotiated_page(const std::string& id, const std::string& summary, const std::string& tag, json parameters,
                     std::initializer_list<int> errors) {
  parameters.push_back(ref("parameters", "f"));
  json op = operation(id, summary, tag, std::move(parameters), error_responses(errors));
  op["responses"]["200"] = body_response(summary, "application/json", {{"type", "object"}});
  op["responses"]["200"]["content"]["text/html"] = {{"schema", {{"type", "string"}}}};
  return op;
}

json signed_in(bool unsafe) {
  json cookie = {{"sessionCookie", json::array()}};
  if (unsafe) cookie["csrfToken"] = json::array();
  return json::array({{{"bearerToken", json::array()}}, cookie});
}

void add_shared_components(json& components) {
  for (const auto& [status, kind] : error_kinds()) {
    json r = {{"description", kind.description},
              {"content", {{"application/json", {{"schema", ref("schemas", "exception")}}}}}};
    if (status == 401)
      r["headers"]["WWW-Authenticate"] = {{"description", "Bearer realm=\"AMIS\""},
                                          {"schema", {{"type", "string"}}}};
    if (status == 429)
      r["headers"]["Retry-After"] = {{"description", "Seconds to wait."},
                                     {"schema", {{"type", "integer"}}}};
    components["responses"][kind.name] = r;
  }
  components["responses"]["NotModified"] = {
      {"description",
       "If-None-Match names the answer's current ETag: the 200's headers, no body."}};
  components["responses"]["PayloadTooLarge"] = {
      {"description",
       "The declared body is larger than the server accepts (refused before it is sent)."},
      {"content", {{"application/json", {{"schema", ref("schemas", "exception")}}}}}};
  components["responses"]["ServiceUnavailable"] = {
      {"description", "Every worker is busy and the queue is full: try again after Retry-After."},
      {"headers",
       {{"Retry-After", {{"description", "Seconds to wait."}, {"schema", {{"type", "integer"}}}}}}},
      {"content", {{"application/json", {{"schema", ref("schemas", "exception")}}}}}};
  components["securitySchemes"] = {
      {"bearerToken",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description",
         "An API token an admin created (POST /admin/users/{name}/tokens, or `amis token "
         "create`)."}}},
      {"sessionCookie",
       {{"type", "apiKey"},
        {"in", "cookie"},
        {"name", "amis_session"},
        {"description", "The cookie POST /login sets (HttpOnly, SameSite=Strict)."}}},
      {"csrfToken",
       {{"type", "apiKey"},
        {"in", "header"},
        {"name", "X-CSRF-Token"},
        {"description",
         "The csrfToken of the session (POST /login, GET /session): a request carrying the session "
         "cookie repeats it on POST, PUT, PATCH and DELETE."}}}};
}

void add_server_responses(json& paths) {
  for (auto& [path, item] : paths.items()) {
    for (auto& [method, op] : item.items()) {
      auto& responses = op["responses"];
      if (method == "get" && responses.contains("200"))
        responses["304"] = ref("responses", "NotModified");
      if (op.contains("requestBody")) responses["413"] = ref("responses", "PayloadTooLarge");
      responses["503"] = ref("responses", "ServiceUnavailable");
    }
  }
}

}  // namespace amis::api::features::oas
