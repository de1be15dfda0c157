#include "api/auth/session_api.hpp"

#include <nlohmann/json.hpp>

#include "api/common/exception_response.hpp"
#include "core/error.hpp"

namespace amis::api::auth_api {
namespace {

using nlohmann::json;

void send_json(http::Response& response, int status, const json& doc, http::Headers headers = {}) {
  headers.emplace_back("Cache-Control", "no-store");
  response.send(status, "application/json", doc.dump(-1, ' ', false, json::error_handler_t::replace), headers);
}

json principal_json(const auth::Principal& p, const std::string& csrf, std::int64_t expires) {
  return {{"user", p.user},
          {"role", auth::to_string(p.role)},
          {"country", p.country.empty() ? json(nullptr) : json(p.country)},
          {"csrfToken", csrf},
          {"expires", expires}};
}

// The user name and password of a JSON or form-encoded body.
std::pair<std::string, std::string> credentials(const http::Request& request) {
  std::string_view type = request.header("content-type");
  type = type.substr(0, type.find(';'));
  if (request.body.size() > 8192) throw core::InvalidValue("body", "the login body is too large");
  if (type == "application/json") {
    auto doc = json::parse(request.body, nullptr, false);
    if (!doc.is_object() || !doc.contains("user") || !doc["user"].is_string() || !doc.contains("password") ||
        !doc["password"].is_string())
      throw core::ParsingFailed("body", "a JSON object with \"user\" and \"password\" strings expected");
    return {doc["user"].get<std::string>(), doc["password"].get<std::string>()};
  }
  if (type == "application/x-www-form-urlencoded") {
    auto form = http::parse_query(request.body);
    if (!form) throw core::ParsingFailed("body", "the form is not URL-encoded");
    std::string user, password;
    for (const auto& [k, v] : *form) {
      if (k == "user") user = v;
      else if (k == "password") password = v;
    }
    return {user, password};
  }
  throw core::UnsupportedMediaType("log in with application/json or application/x-www-form-urlencoded");
}

}  // namespace

void SessionApi::register_routes(http::Router& router) {
  auto bind = [this](void (SessionApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("POST", "/login", bind(&SessionApi::login));
  router.add("POST", "/logout", bind(&SessionApi::logout));
  router.add("GET", "/session", bind(&SessionApi::session));
}

std::string SessionApi::cookie(const http::Request& request, const std::string& value, long long max_age) const {
  std::string c = std::string(auth::kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age);
  if (base_url_.starts_with("https://") || request.forwarded_https) c += "; Secure";
  return c;
}

void SessionApi::login(http::Request& request, http::Response& response) {
  if (!request.query.empty()) throw core::UnknownParameter(request.query.front().first);
  const auto [user, password] = credentials(request);
  const auto result = logins_.login(user, password, request.remote_address);
  send_json(response, 200, principal_json(result.principal, result.csrf, result.expires),
            {{"Set-Cookie", cookie(request, result.session_id, logins_.session_length().count())}});
}

void SessionApi::logout(http::Request& request, http::Response& response) {
  const auto id = http::cookie(request, auth::kSessionCookie);
  if (!id) throw core::Unauthorized("there is no session to end");
  authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor}, "logging out");
  logins_.logout(*id);
  send_json(response, 200, {{"loggedOut", true}}, {{"Set-Cookie", cookie(request, "", 0)}});
}

void SessionApi::session(http::Request& request, http::Response& response) {
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor},
                                          "reading the session");
  const auto s = authenticator_.session(request);
  send_json(response, 200, principal_json(who, s ? s->csrf : "", s ? s->expires : 0));
}

}  // namespace amis::api::auth_api
