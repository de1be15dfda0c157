#include "auth/authenticator.hpp"

#include <algorithm>

#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace amis::auth {

std::optional<Principal> Authenticator::authenticate(const http::Request& request) const {
  const auto header = request.header("authorization");
  if (header.empty()) return std::nullopt;
  // RFC 9110 11.1: the scheme name is case-insensitive.
  std::string scheme(header.substr(0, std::min<std::size_t>(header.size(), 7)));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") throw core::Unauthorized("AMIS accepts bearer tokens only");
  const auto token = header.substr(7);
  if (same_secret(token, bootstrap_token_)) return Principal{"admin-token", Role::Admin, ""};
  auto user = accounts_.user_for_token(token_digest(token));
  if (!user) throw core::Unauthorized("the bearer token is not valid");
  if (user->disabled) throw core::Unauthorized("the account of this token is disabled");
  return Principal{user->name, user->role, user->country};
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
