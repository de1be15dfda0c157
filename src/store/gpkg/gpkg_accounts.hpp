#pragma once
// The account tables of the GeoPackage store: amis_users, amis_tokens,
// amis_sessions and the failed-login counters (amis_login_*).
#include <memory>
#include <mutex>
#include <string>

#include "store/accounts.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

class GpkgAccounts final : public AccountStore {
 public:
  // Opens the store at `path` (creating the tables when missing).
  explicit GpkgAccounts(const std::string& path);

  std::vector<auth::User> users() override;
  std::optional<auth::User> user(std::string_view name) override;
  void add_user(const auth::User& user, const std::string& password_hash) override;
  std::optional<std::string> password_hash(std::string_view name) override;
  bool set_password(std::string_view name, const std::string& password_hash) override;
  bool set_disabled(std::string_view name, bool disabled) override;
  bool set_role(std::string_view name, auth::Role role, const std::string& country) override;
  void add_session(const std::string& digest, const SessionInfo& session) override;
  std::optional<SessionInfo> session(const std::string& digest, std::int64_t now) override;
  void remove_session(const std::string& digest) override;
  void remove_sessions_of(std::string_view user) override;
  std::int64_t add_token(std::string_view user, const std::string& digest, const std::string& label) override;
  bool revoke_token(std::int64_t id) override;
  std::vector<TokenInfo> tokens(std::string_view user) override;
  std::optional<auth::User> user_for_token(std::string_view digest) override;
  std::string login_salt(std::int64_t day, const std::string& candidate) override;
  void update_login_counters(const std::string& pair, const std::string& address, std::int64_t forget_before,
                             const std::function<void(LoginCounters&)>& change) override;

 private:
  // After an UPDATE of one user: true if it changed, false if there is no such
  // user. @throws core::Conflict when the user exists: the update kept the last
  // enabled administrator.
  bool changed_or_last_admin(std::string_view name);

  std::mutex mutex_;  // one connection, for the few account reads and writes
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
