#pragma once
// Who a request comes from: a bearer API token (or the bootstrap [admin] token
// of amis.toml), HTTP Basic with an API token as the password, or a login session's cookie (with its CSRF token on unsafe
// requests), checked in one place for every write path. Tokens are looked
// up by their SHA-256; nothing secret is logged or echoed.
#include <optional>
#include <string>

#include "auth/account.hpp"
#include "http/request.hpp"
#include "store/accounts.hpp"

namespace amis::auth {

// Who the bootstrap [admin] token acts as (in change sets and the audit log).
inline constexpr const char* kBootstrapAdmin = "[admin token]";

class Authenticator {
 public:
  // `bootstrap_token`: the [admin] token of amis.toml (an administrator), or empty.
  Authenticator(store::AccountStore& accounts, std::string bootstrap_token)
      : accounts_(accounts), bootstrap_token_(std::move(bootstrap_token)) {}

  // The caller, or nullopt for an anonymous request (no Authorization header).
  // @throws core::Unauthorized for credentials that are not valid (an unknown or
  // revoked token, a user name that is not the token's, a disabled user, another scheme).
  std::optional<Principal> authenticate(const http::Request& request) const;

  // The caller, who must hold one of `roles`. @throws core::Unauthorized
  // without valid credentials, core::Forbidden for another role.
  Principal require(const http::Request& request, std::initializer_list<Role> roles, const char* action) const;

  // The caller for reading: as authenticate(), but credentials that are not
  // valid count as anonymous (a read of public data does not fail on them).
  std::optional<Principal> identify(const http::Request& request) const noexcept;

  // The live login session of the request's cookie, if any.
  std::optional<store::SessionInfo> session(const http::Request& request) const;

 private:
  std::optional<Principal> from_session(const http::Request& request) const;
  std::optional<Principal> from_bearer(std::string_view token) const;
  std::optional<Principal> from_basic(std::string_view credentials) const;

  store::AccountStore& accounts_;
  std::string bootstrap_token_;
};

}  // namespace amis::auth
