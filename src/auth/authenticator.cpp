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
  const auto space = header.find(' ');
  std::string scheme(header.substr(0, std::min(space, header.size())));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto credentials = space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
  if (scheme == "bearer") return from_bearer(credentials);
  if (scheme == "basic") return from_basic(credentials);
  throw core::Unauthorized("AMIS accepts bearer tokens, or HTTP Basic with an API token as the password");
}

std::optional<Principal> Authenticator::from_bearer(std::string_view token) const {
  // Its name is not a valid user name, so that no account can ever act as it.
  if (same_secret(token, bootstrap_token_)) return Principal{kBootstrapAdmin, Role::Admin, ""};
  auto user = accounts_.user_for_token(token_digest(token));
  if (!user) throw core::Unauthorized("the bearer token is not valid");
  if (user->disabled) throw core::Unauthorized("the account of this token is disabled");
  return Principal{user->name, user->role, user->country};
}

// HTTP Basic (RFC 7617) for clients that can send only a user name and a
// password, such as QGIS's WFS provider: the password is one of the account's
// API tokens, as in GitHub's and GitLab's Basic authentication. Never the
// account's own password: an argon2id check on every request of a map would be
// slow, and would let guesses past the login's rate limit.
std::optional<Principal> Authenticator::from_basic(std::string_view credentials) const {
  const auto decoded = decode_base64(credentials);
  const auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) throw core::Unauthorized("malformed Basic credentials");
  const std::string_view name = std::string_view(*decoded).substr(0, colon);
  auto user = accounts_.user_for_token(token_digest(std::string_view(*decoded).substr(colon + 1)));
  if (!user || user->name != name)
    throw core::Unauthorized("the user name and password are not valid; the password is one of the account's API "
                             "tokens (amis token create), not its login password");
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
