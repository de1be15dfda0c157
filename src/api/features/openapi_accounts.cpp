// OpenAPI: login sessions (api/auth/session_api.cpp) and the admin API
// (api/admin/admin_api.cpp).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

json principal_schema() {
  return {
      {"type", "object"},
      {"properties",
       {{"user", {{"type", "string"}}},
        {"role", {{"type", "string"}, {"enum", {"admin", "reviewer", "editor"}}}},
        {"country", {{"type", "string"}, {"nullable", true}}},
        {"csrfToken",
         {{"type", "string"}, {"description", "Repeat it in X-CSRF-Token on unsafe requests."}}},
        {"expires",
         {{"type", "integer"}, {"description", "When the session ends (Unix time)."}}}}}};
}

json user_schema() {
  return {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"role", {{"type", "string"}, {"enum", {"admin", "reviewer", "editor"}}}},
            {"country", {{"type", "string"}, {"nullable", true}}},
            {"disabled", {{"type", "boolean"}}},
            {"created", {{"type", "string"}}}}}};
}

json json_request(json schema, bool required = true) {
  return {{"required", required},
          {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

json admin_operation(const std::string& id, const std::string& summary, json parameters,
                     bool unsafe, std::initializer_list<int> errors) {
  json op = operation(id, summary, "Admin", std::move(parameters), error_responses(errors));
  op["security"] = signed_in(unsafe);
  return op;
}

json user_name() { return path_parameter("name", "The user name."); }

void add_session_paths(json& paths) {
  const json cookie_header = {
      {"description", "amis_session=<id>; Path=/; HttpOnly; SameSite=Strict (Secure behind https)"},
      {"schema", {{"type", "string"}}}};
  json login = operation("login", "Logs in: sets the session cookie and returns the CSRF token",
                         "Session", json::array(), error_responses({400, 401, 415, 429}));
  const json credentials = {
      {"type", "object"},
      {"required", {"user", "password"}},
      {"properties", {{"user", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  login["requestBody"] = {{"required", true},
                          {"content",
                           {{"application/json", {{"schema", credentials}}},
                            {"application/x-www-form-urlencoded", {{"schema", credentials}}}}}};
  login["responses"]["200"] = body_response("Logged in", "application/json", principal_schema(),
                                            {{"Set-Cookie", cookie_header}});
  login["security"] = json::array({json::object()});
  paths["/login"] = {{"post", login}};

  json logout = operation("logout", "Ends the session of the cookie and clears it", "Session",
                          json::array(), error_responses({401, 403}));
  logout["responses"]["200"] =
      body_response("Logged out", "application/json",
                    {{"type", "object"}, {"properties", {{"loggedOut", {{"type", "boolean"}}}}}},
                    {{"Set-Cookie", cookie_header}});
  logout["security"] =
      json::array({{{"sessionCookie", json::array()}, {"csrfToken", json::array()}}});
  paths["/logout"] = {{"post", logout}};

  json session = operation("getSession", "Who the caller is (and the session's CSRF token)",
                           "Session", json::array(), error_responses({401}));
  session["responses"]["200"] = body_response("The caller", "application/json", principal_schema());
  session["security"] = signed_in(false);
  paths["/session"] = {{"get", session}};
}

}  // namespace

void add_account_paths(json& paths, json& components) {
  components["schemas"]["user"] = user_schema();
  add_session_paths(paths);

  json list =
      admin_operation("getUsers", "The user accounts", json::array(), false, {400, 401, 403});
  list["responses"]["200"] = body_response(
      "The users", "application/json",
      {{"type", "object"},
       {"properties", {{"users", {{"type", "array"}, {"items", ref("schemas", "user")}}}}}});
  json add =
      admin_operation("addUser", "Adds a user", json::array(), true, {400, 401, 403, 409, 415});
  add["requestBody"] = json_request(
      {{"type", "object"},
       {"required", {"name", "role", "password"}},
       {"additionalProperties", false},
       {"properties",
        {{"name", {{"type", "string"}}},
         {"role", {{"type", "string"}, {"enum", {"admin", "reviewer", "editor"}}}},
         {"country", {{"type", "string"}, {"description", "An editor's member state"}}},
         {"password", {{"type", "string"}, {"minLength", 10}, {"maxLength", 1024}}}}}});
  add["responses"]["201"] =
      body_response("The user (Location names it)", "application/json", ref("schemas", "user"));
  paths["/admin/users"] = {{"get", list}, {"post", add}};

  json get = admin_operation("getUser", "A user", json::array({user_name()}), false, {400, 401, 403, 404});
  get["responses"]["200"] = body_response("The user", "application/json", ref("schemas", "user"));
  json change =
      admin_operation("changeUser", "Changes a user's role, country, password or disabled flag",
                      json::array({user_name()}), true, {400, 401, 403, 404, 415});
  change["requestBody"] = json_request(
      {{"type", "object"},
       {"additionalProperties", false},
       {"properties",
        {{"role", {{"type", "string"}, {"enum", {"admin", "reviewer", "editor"}}}},
         {"country", {{"type", "string"}, {"nullable", true}}},
         {"disabled", {{"type", "boolean"}}},
         {"password", {{"type", "string"}, {"minLength", 10}, {"maxLength", 1024}}}}}});
  change["responses"]["200"] =
      body_response("The user after the change", "application/json", ref("schemas", "user"));
  paths["/admin/users/{name}"] = {{"get", get}, {"patch", change}};

  json tokens = admin_operation("getTokens", "A user's API tokens (not their secrets)",
                                json::array({user_name()}), false, {400, 401, 403, 404});
  tokens["responses"]["200"] = body_response("The tokens", "application/json",
                                             {{"type", "object"},
                                              {"properties",
                                               {{"tokens",
                                                 {{"type", "array"},
                                                  {"items",
                                                   {{"type", "object"},
                                                    {"properties",
                                                     {{"id", {{"type", "integer"}}},
                                                      {"label", {{"type", "string"}}},
                                                      {"created", {{"type", "string"}}},
                                                      {"revoked", {{"type", "boolean"}}}}}}}}}}}});
  json create = admin_operation("createToken",
                                "Creates a bearer token for a user; its secret is shown this once",
                                json::array({user_name()}), true, {400, 401, 403, 404, 415});
  create["requestBody"] = json_request({{"type", "object"},
                                        {"additionalProperties", false},
                                        {"properties", {{"label", {{"type", "string"}}}}}},
                                       false);
  create["responses"]["201"] = body_response("The token", "application/json",
                                             {{"type", "object"},
                                              {"properties",
                                               {{"id", {{"type", "integer"}}},
                                                {"token", {{"type", "string"}}},
                                                {"note", {{"type", "string"}}}}}});
  paths["/admin/users/{name}/tokens"] = {{"get", tokens}, {"post", create}};

  json revoke =
      admin_operation("revokeToken", "Revokes a token", json::array({path_parameter("id", "The token id.")}),
                      true, {400, 401, 403, 404});
  revoke["responses"]["200"] = body_response(
      "Revoked", "application/json",
      {{"type", "object"},
       {"properties", {{"id", {{"type", "integer"}}}, {"revoked", {{"type", "boolean"}}}}}});
  paths["/admin/tokens/{id}"] = {{"delete", revoke}};
}

}  // namespace amis::api::features::oas
