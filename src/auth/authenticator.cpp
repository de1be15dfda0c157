#include "auth/authenticator.hpp"

#include <algorithm>
#include <chrono>

#include "auth/login.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {

std::optional<store::SessionInfo> Authenticator::session(const http::Request& request) const {
  const auto id = http::cookie(request, kSessionCookie);
  if (!id || id->empty()) return std::nullopt;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  return accounts_.session(token_digest(*id), now);
}

std::optional<Principal> Authenticator::from_session(const http::Request& request) const {
  if (!http::cookie(request, kSessionCookie)) return std::nullopt;
  const auto s = session(request);
  if (!s) throw core::Unauthorized("the session has ended; log in again");
  auto user = accounts_.user(s->user);
  if (!user || user->disabled) throw core::Unauthorized("the account of this session is disabled");
  // A cookie goes with every request the browser makes, also those another
  // site makes it send: unsafe ones must show the session's CSRF token too.
  const bool safe = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (!safe && !same_secret(request.header("x-csrf-token"), s->csrf))
    throw core::Forbidden("a request with the session cookie needs the session's X-CSRF-Token header");
  return Principal{user->name, user->role, user->country};
}

std::optional<Principal> Authenticator::authenticate(const http::Request& request) const {
  const auto header = request.header("authorization");
  if (header.empty()) return from_session(request);
  // RFC 9110 11.1: the scheme name is case-insensitive.
  std::string scheme(header.substr(0, std::min<std::size_t>(header.size(), 7)));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") throw core::Unauthorized("AMIS accepts bearer tokens only");
  const auto token = header.substr(7);
  // Its name is not a valid user name, so that no account can ever act as it.
  if (same_secret(token, bootstrap_token_)) return Principal{kBootstrapAdmin, Role::Admin, ""};
  auto user = accounts_.user_for_token(token_digest(token));
  if (!user) throw core::Unauthorized("the bearer token is not valid");
  if (user->disabled) throw core::Unauthorized("the account of this token is disabled");
  return Principal{user->name, user->role, user->country};
}

std::optional<Principal> Authenticator::identify(const http::Request& request) const noexcept {
  try {
    return authenticate(request);
  } catch (...) {
    return std::nullopt;
  }
}

Principal Authenticator::require(const http::Request& request, std::initializer_list<Role> roles,
                                 const char* action) const {
  auto principal = authenticate(request);
  if (!principal) throw core::Unauthorized(std::string(action) + " needs a bearer token");
  if (std::find(roles.begin(), roles.end(), principal->role) == roles.end())
    throw core::Forbidden(std::string(action) + " is not allowed to " + to_string(principal->role) + "s");
  return *principal;
}

}  // namespace amis::auth
