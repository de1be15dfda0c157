#include "api/admin/admin_api.hpp"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "api/admin/admin_body.hpp"
#include "api/common/exception_response.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::api::admin {
namespace {

using nlohmann::json;

json user_json(const auth::User& u) {
  return {{"name", u.name},
          {"role", auth::to_string(u.role)},
          {"country", u.country.empty() ? json(nullptr) : json(u.country)},
          {"disabled", u.disabled},
          {"created", u.created}};
}

}  // namespace

void AdminApi::register_routes(http::Router& router) {
  auto bind = [this](void (AdminApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/admin/users", bind(&AdminApi::list_users));
  router.add("POST", "/admin/users", bind(&AdminApi::add_user));
  router.add("GET", "/admin/users/{name}", bind(&AdminApi::get_user));
  router.add("PATCH", "/admin/users/{name}", bind(&AdminApi::change_user));
  router.add("GET", "/admin/users/{name}/tokens", bind(&AdminApi::list_tokens));
  router.add("POST", "/admin/users/{name}/tokens", bind(&AdminApi::create_token));
  router.add("DELETE", "/admin/tokens/{id}", bind(&AdminApi::revoke_token));
}

auth::Principal AdminApi::require_admin(const http::Request& request) {
  for (const auto& [name, value] : request.query)
    if (name != "f") throw core::UnknownParameter(name);
  return authenticator_.require(request, {auth::Role::Admin}, "managing accounts");
}

void AdminApi::list_users(http::Request& request, http::Response& response) {
  require_admin(request);
  json users = json::array();
  for (const auto& u : accounts_.users()) users.push_back(user_json(u));
  send_json(response, 200, {{"users", users}});
}

void AdminApi::add_user(http::Request& request, http::Response& response) {
  const auto who = require_admin(request);
  const auto doc = body_object(request, {"name", "role", "country", "password"});
  const auto user = admin_.add_user(who.user, text_member(doc, "name", true), text_member(doc, "role", true),
                                    text_member(doc, "country", false), text_member(doc, "password", true));
  send_json(response, 201, user_json(user), {{"Location", "/admin/users/" + user.name}});
}

void AdminApi::get_user(http::Request& request, http::Response& response) {
  require_admin(request);
  send_json(response, 200, user_json(admin_.user(request.path_param("name"))));
}

void AdminApi::change_user(http::Request& request, http::Response& response) {
  const auto who = require_admin(request);
  const auto& name = request.path_param("name");
  const auto before = admin_.user(name);
  const auto doc = body_object(request, {"role", "country", "disabled", "password"});
  if (doc.contains("disabled") && !doc["disabled"].is_boolean())
    throw core::InvalidValue("disabled", "'disabled' must be true or false");
  // Everything is checked before anything changes (set_role checks its own).
  std::optional<std::string> password;
  if (doc.contains("password")) {
    password = text_member(doc, "password", true);
    if (!auth::acceptable_password(*password))
      throw core::InvalidValue("password", "a password has 10 to 1024 characters");
  }
  if (doc.contains("role") || doc.contains("country")) {
    const std::string role = doc.contains("role") ? text_member(doc, "role", true) : auth::to_string(before.role);
    // A new role without a country keeps the editor's country only for an editor.
    const std::string country = doc.contains("country") ? text_member(doc, "country", false)
                                : role == "editor"      ? before.country
                                                        : std::string();
    admin_.set_role(who.user, name, role, country);
  }
  // Disabling may be refused (the last administrator): before the password changes.
  if (doc.contains("disabled") && doc["disabled"].get<bool>() != before.disabled)
    admin_.set_disabled(who.user, name, doc["disabled"].get<bool>());
  if (password) admin_.set_password(who.user, name, *password);
  send_json(response, 200, user_json(admin_.user(name)));
}

void AdminApi::list_tokens(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto& name = request.path_param("name");
  admin_.user(name);
  json tokens = json::array();
  for (const auto& t : accounts_.tokens(name))
    tokens.push_back({{"id", t.id}, {"label", t.label}, {"created", t.created}, {"revoked", t.revoked}});
  send_json(response, 200, {{"tokens", tokens}});
}

void AdminApi::create_token(http::Request& request, http::Response& response) {
  const auto who = require_admin(request);
  const auto doc = request.body.empty() ? json::object() : body_object(request, {"label"});
  const auto [id, token] = admin_.create_token(who.user, request.path_param("name"), text_member(doc, "label", false));
  send_json(response, 201, {{"id", id}, {"token", token}, {"note", "the token is shown this once"}},
            {{"Cache-Control", "no-store"}});
}

void AdminApi::revoke_token(http::Request& request, http::Response& response) {
  const auto who = require_admin(request);
  const auto& text = request.path_param("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size()) throw core::NotFound("no token '" + text + "'");
  admin_.revoke_token(who.user, id);
  send_json(response, 200, {{"id", id}, {"revoked", true}});
}

}  // namespace amis::api::admin
