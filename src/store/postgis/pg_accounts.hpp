#pragma once
// The account tables of the PostgreSQL store (issue 14): users, API tokens,
// login sessions and the failed-login counters, the same tables and answers as
// gpkg/gpkg_accounts.cpp. Every node of a cluster reads and writes them, so
// nothing a login needs lives in one node's memory.
#include <string>

#include "store/accounts.hpp"
#include "store/postgis/pg_pool.hpp"

namespace amis::store::postgis {

class PgAccounts final : public AccountStore {
 public:
  // The tables, for ensure_schema (pg_schema.cpp).
  static const char* schema();

  explicit PgAccounts(Pool& pool) : pool_(pool) {}

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
  // Runs an UPDATE of one user that may take administrator rights away, with
  // the other such changes held off meanwhile: true if it changed the user,
  // false if there is no such user. @throws core::Conflict when the user exists
  // and is the last enabled administrator.
  bool change_keeping_an_administrator(std::string_view name, const std::string& update, const Params& params);

  Pool& pool_;
};

}  // namespace amis::store::postgis
