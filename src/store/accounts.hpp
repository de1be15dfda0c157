#pragma once
// Users and API tokens, kept with the data (issue 6). Passwords arrive here
// already hashed (argon2id) and tokens as their SHA-256: the store never sees
// a secret. The failed-login counters are kept here too (login_counters.hpp):
// they are part of what every node must share.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account.hpp"
#include "store/login_counters.hpp"

namespace amis::store {

struct TokenInfo {
  std::int64_t id = 0;
  std::string user;
  std::string label;
  std::string created;
  bool revoked = false;
};

// A login session: the browser holds its id in an HttpOnly cookie; the store
// holds the id's SHA-256 only.
struct SessionInfo {
  std::string user;
  std::string csrf;     // the token unsafe requests must repeat in X-CSRF-Token
  std::int64_t expires = 0;  // seconds since the epoch
};

class AccountStore : public LoginCounterStore {
 public:
  virtual ~AccountStore() = default;
  virtual std::vector<auth::User> users() = 0;
  virtual std::optional<auth::User> user(std::string_view name) = 0;
  // @throws core::Conflict when the name is taken.
  virtual void add_user(const auth::User& user, const std::string& password_hash) = 0;
  virtual std::optional<std::string> password_hash(std::string_view name) = 0;
  // False when there is no such user.
  virtual bool set_password(std::string_view name, const std::string& password_hash) = 0;
  // Disabling or demoting checks and changes in one statement that at least one
  // enabled administrator remains, so that two changes at the same time cannot
  // both take the last one away. False when there is no such user.
  // @throws core::Conflict when the change would leave no enabled administrator.
  virtual bool set_disabled(std::string_view name, bool disabled) = 0;
  virtual bool set_role(std::string_view name, auth::Role role, const std::string& country) = 0;
  // Returns the token's id. @throws core::NotFound for an unknown user.
  virtual std::int64_t add_token(std::string_view user, const std::string& digest, const std::string& label) = 0;
  virtual bool revoke_token(std::int64_t id) = 0;
  virtual std::vector<TokenInfo> tokens(std::string_view user) = 0;
  virtual void add_session(const std::string& digest, const SessionInfo& session) = 0;
  // A session that has not expired.
  virtual std::optional<SessionInfo> session(const std::string& digest, std::int64_t now) = 0;
  virtual void remove_session(const std::string& digest) = 0;
  virtual void remove_sessions_of(std::string_view user) = 0;
  // The user a live (not revoked) token belongs to, whether enabled or not.
  virtual std::optional<auth::User> user_for_token(std::string_view digest) = 0;
};

}  // namespace amis::store
