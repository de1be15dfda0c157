#pragma once
// Managing accounts, the same rules for the command line and the admin API:
// names, roles and countries checked, passwords hashed with argon2id, tokens
// created once and stored as digests, and every change written to the audit
// log (never a password or a token).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "auth/account.hpp"
#include "store/accounts.hpp"

namespace amis::auth {

class AccountAdmin {
 public:
  // (actor, action, subject, detail) into the audit log.
  using Audit = std::function<void(const std::string&, const std::string&, const std::string&, const std::string&)>;

  AccountAdmin(store::AccountStore& accounts, Audit audit) : accounts_(accounts), audit_(std::move(audit)) {}

  // @throws core::InvalidValue for a bad name, role, country or password,
  // core::Conflict for a name taken.
  User add_user(const std::string& actor, const std::string& name, const std::string& role,
                const std::string& country, const std::string& password);
  // @throws core::NotFound, core::InvalidValue.
  void set_password(const std::string& actor, const std::string& name, const std::string& password);
  // Disabling or demoting the last enabled administrator is refused: someone
  // must be able to manage the accounts. @throws core::NotFound,
  // core::InvalidValue, core::Conflict (the last administrator).
  void set_disabled(const std::string& actor, const std::string& name, bool disabled);
  User set_role(const std::string& actor, const std::string& name, const std::string& role,
                const std::string& country);
  // Returns the token's id and the token, which is shown this once.
  std::pair<std::int64_t, std::string> create_token(const std::string& actor, const std::string& user,
                                                    const std::string& label);
  void revoke_token(const std::string& actor, std::int64_t id);

  // @throws core::NotFound.
  User user(const std::string& name);

 private:
  store::AccountStore& accounts_;
  Audit audit_;
};

}  // namespace amis::auth
