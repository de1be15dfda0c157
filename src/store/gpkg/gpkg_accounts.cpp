#include "store/gpkg/gpkg_accounts.hpp"

#include <sqlite3.h>

#include "core/error.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_users (
  name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'editor', 'node')),
  country TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT, user_name TEXT NOT NULL REFERENCES amis_users (name),
  digest TEXT NOT NULL UNIQUE, label TEXT NOT NULL, created TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS amis_sessions (
  digest TEXT PRIMARY KEY, user_name TEXT NOT NULL REFERENCES amis_users (name), csrf TEXT NOT NULL,
  expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS amis_login_salts (day INTEGER PRIMARY KEY, salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_login_pairs (
  digest TEXT PRIMARY KEY, failures INTEGER NOT NULL, last INTEGER NOT NULL, wait_until INTEGER NOT NULL,
  active_until INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS amis_login_pairs_active ON amis_login_pairs (active_until);
CREATE TABLE IF NOT EXISTS amis_login_names (
  address TEXT NOT NULL, name TEXT NOT NULL, last INTEGER NOT NULL, PRIMARY KEY (address, name));
CREATE INDEX IF NOT EXISTS amis_login_names_last ON amis_login_names (last);
)SQL";

// Stores made before the node role (issue 16) check the role against the three
// others: SQLite cannot change a CHECK, so the table is made again with it
// (its rows copied, in one transaction; the tokens and sessions name users by
// name, which stays).
void allow_node_role(sqlite::Database& db) {
  sqlite::Transaction tx(db);
  {
    auto s = db.cached("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'amis_users'");
    if (!s->step() || s->column_text(0).find("'node'") != std::string_view::npos) return;
  }
  db.exec(R"SQL(
CREATE TABLE amis_users_with_nodes (
  name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'editor', 'node')),
  country TEXT NOT NULL, password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL);
INSERT INTO amis_users_with_nodes SELECT name, role, country, password_hash, disabled, created FROM amis_users;
DROP TABLE amis_users;
ALTER TABLE amis_users_with_nodes RENAME TO amis_users;
)SQL");
  tx.commit();
}

constexpr const char* kUserSelect = "SELECT name, role, country, disabled, created FROM amis_users";

auth::User read_user(sqlite::Statement& s) {
  auth::User u;
  u.name = s.column_text(0);
  u.role = auth::parse_role(s.column_text(1)).value_or(auth::Role::Editor);
  u.country = s.column_text(2);
  u.disabled = s.column_int(3) != 0;
  u.created = s.column_text(4);
  return u;
}

}  // namespace

GpkgAccounts::GpkgAccounts(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  db_->exec(kSchema);
  allow_node_role(*db_);
}

std::vector<auth::User> GpkgAccounts::users() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kUserSelect) + " ORDER BY name");
  std::vector<auth::User> out;
  while (s->step()) out.push_back(read_user(*s));
  return out;
}

std::optional<auth::User> GpkgAccounts::user(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kUserSelect) + " WHERE name = ?");
  s->bind(1, name);
  if (!s->step()) return std::nullopt;
  return read_user(*s);
}

void GpkgAccounts::add_user(const auth::User& user, const std::string& password_hash) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto taken = db_->cached("SELECT 1 FROM amis_users WHERE name = ?");
    taken->bind(1, std::string_view(user.name));
    if (taken->step()) throw core::Conflict("a user '" + user.name + "' already exists");
  }
  auto s = db_->cached(
      "INSERT INTO amis_users (name, role, country, password_hash, disabled, created) "
      "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
  s->bind(1, std::string_view(user.name));
  s->bind(2, std::string_view(auth::to_string(user.role)));
  s->bind(3, std::string_view(user.country));
  s->bind(4, std::string_view(password_hash));
  s->bind(5, static_cast<std::int64_t>(user.disabled ? 1 : 0));
  s->run();
  tx.commit();
}

std::optional<std::string> GpkgAccounts::password_hash(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT password_hash FROM amis_users WHERE name = ?");
  s->bind(1, name);
  if (!s->step()) return std::nullopt;
  return std::string(s->column_text(0));
}

bool GpkgAccounts::set_password(std::string_view name, const std::string& password_hash) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("UPDATE amis_users SET password_hash = ? WHERE name = ?");
  s->bind(1, std::string_view(password_hash));
  s->bind(2, name);
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

namespace {

// The condition an UPDATE of amis_users adds when its change takes the user's
// administrator rights away: that user is not the last enabled administrator.
constexpr const char* kKeepsAnAdministrator =
    "NOT (role = 'admin' AND disabled = 0 AND "
    "(SELECT count(*) FROM amis_users WHERE role = 'admin' AND disabled = 0) <= 1)";

}  // namespace

bool GpkgAccounts::changed_or_last_admin(std::string_view name) {
  if (sqlite3_changes(db_->handle()) > 0) return true;
  auto exists = db_->cached("SELECT 1 FROM amis_users WHERE name = ?");
  exists->bind(1, name);
  if (!exists->step()) return false;
  throw core::Conflict("'" + std::string(name) + "' is the last enabled administrator; make another account an "
                       "administrator first, so that someone can still manage the accounts");
}

bool GpkgAccounts::set_disabled(std::string_view name, bool disabled) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(disabled ? std::string("UPDATE amis_users SET disabled = 1 WHERE name = ? AND ") + kKeepsAnAdministrator
                                : std::string("UPDATE amis_users SET disabled = 0 WHERE name = ?"));
  s->bind(1, name);
  s->run();
  return changed_or_last_admin(name);
}

bool GpkgAccounts::set_role(std::string_view name, auth::Role role, const std::string& country) {
  std::lock_guard lock(mutex_);
  const bool demotes = role != auth::Role::Admin;
  auto s = db_->cached(std::string("UPDATE amis_users SET role = ?, country = ? WHERE name = ?") +
                       (demotes ? std::string(" AND ") + kKeepsAnAdministrator : std::string()));
  s->bind(1, std::string_view(auth::to_string(role)));
  s->bind(2, std::string_view(country));
  s->bind(3, name);
  s->run();
  return changed_or_last_admin(name);
}

void GpkgAccounts::add_session(const std::string& digest, const SessionInfo& session) {
  std::lock_guard lock(mutex_);
  {
    auto expired = db_->cached("DELETE FROM amis_sessions WHERE expires <= ?");
    expired->bind(1, session.expires - 366 * 86400);  // long gone: any session lasts less than a year
    expired->run();
  }
  auto s = db_->cached("INSERT INTO amis_sessions (digest, user_name, csrf, expires) VALUES (?, ?, ?, ?)");
  s->bind(1, std::string_view(digest));
  s->bind(2, std::string_view(session.user));
  s->bind(3, std::string_view(session.csrf));
  s->bind(4, session.expires);
  s->run();
}

std::optional<SessionInfo> GpkgAccounts::session(const std::string& digest, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT user_name, csrf, expires FROM amis_sessions WHERE digest = ? AND expires > ?");
  s->bind(1, std::string_view(digest));
  s->bind(2, now);
  if (!s->step()) return std::nullopt;
  return SessionInfo{std::string(s->column_text(0)), std::string(s->column_text(1)), s->column_int(2)};
}

void GpkgAccounts::remove_session(const std::string& digest) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("DELETE FROM amis_sessions WHERE digest = ?");
  s->bind(1, std::string_view(digest));
  s->run();
}

void GpkgAccounts::remove_sessions_of(std::string_view user) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("DELETE FROM amis_sessions WHERE user_name = ?");
  s->bind(1, user);
  s->run();
}

std::int64_t GpkgAccounts::add_token(std::string_view user, const std::string& digest, const std::string& label) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto known = db_->cached("SELECT 1 FROM amis_users WHERE name = ?");
    known->bind(1, user);
    if (!known->step()) throw core::NotFound("no user '" + std::string(user) + "'");
  }
  auto s = db_->cached(
      "INSERT INTO amis_tokens (user_name, digest, label, created) "
      "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
  s->bind(1, user);
  s->bind(2, std::string_view(digest));
  s->bind(3, std::string_view(label));
  s->run();
  const auto id = sqlite3_last_insert_rowid(db_->handle());
  tx.commit();
  return id;
}

bool GpkgAccounts::revoke_token(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("UPDATE amis_tokens SET revoked = 1 WHERE id = ? AND revoked = 0");
  s->bind(1, id);
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

std::vector<TokenInfo> GpkgAccounts::tokens(std::string_view user) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT id, user_name, label, created, revoked FROM amis_tokens WHERE user_name = ? ORDER BY id");
  s->bind(1, user);
  std::vector<TokenInfo> out;
  while (s->step())
    out.push_back({s->column_int(0), std::string(s->column_text(1)), std::string(s->column_text(2)),
                   std::string(s->column_text(3)), s->column_int(4) != 0});
  return out;
}

std::optional<auth::User> GpkgAccounts::user_for_token(std::string_view digest) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT u.name, u.role, u.country, u.disabled, u.created FROM amis_tokens t "
      "JOIN amis_users u ON u.name = t.user_name WHERE t.digest = ? AND t.revoked = 0");
  s->bind(1, digest);
  if (!s->step()) return std::nullopt;
  return read_user(*s);
}

std::string GpkgAccounts::login_salt(std::int64_t day, const std::string& candidate) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  auto add = db_->cached("INSERT OR IGNORE INTO amis_login_salts (day, salt) VALUES (?, ?)");
  add->bind(1, day);
  add->bind(2, std::string_view(candidate));
  add->run();
  auto old = db_->cached("DELETE FROM amis_login_salts WHERE day < ?");
  old->bind(1, day);
  old->run();
  auto s = db_->cached("SELECT salt FROM amis_login_salts WHERE day = ?");
  s->bind(1, day);
  s->step();
  std::string salt(s->column_text(0));
  s->reset();
  tx.commit();
  return salt;
}

void GpkgAccounts::update_login_counters(const std::string& pair, const std::string& address,
                                         std::int64_t forget_before,
                                         const std::function<void(LoginCounters&)>& change) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);  // BEGIN IMMEDIATE: other processes on the file wait too
  {
    auto pairs = db_->cached("DELETE FROM amis_login_pairs WHERE active_until < ?");
    pairs->bind(1, forget_before);
    pairs->run();
    auto names = db_->cached("DELETE FROM amis_login_names WHERE last < ?");
    names->bind(1, forget_before);
    names->run();
  }
  LoginCounters counters;
  {
    auto s = db_->cached("SELECT failures, last, wait_until FROM amis_login_pairs WHERE digest = ?");
    s->bind(1, std::string_view(pair));
    if (s->step())
      counters.pair = {static_cast<int>(s->column_int(0)), s->column_int(1), s->column_int(2)};
    s->reset();
  }
  {
    auto s = db_->cached("SELECT name, last FROM amis_login_names WHERE address = ?");
    s->bind(1, std::string_view(address));
    while (s->step()) counters.names.emplace(std::string(s->column_text(0)), s->column_int(1));
  }
  const auto before = counters.names;
  change(counters);
  if (counters.pair.failures > 0) {
    auto s = db_->cached(
        "INSERT OR REPLACE INTO amis_login_pairs (digest, failures, last, wait_until, active_until) "
        "VALUES (?, ?, ?, ?, max(?3, ?4))");
    s->bind(1, std::string_view(pair));
    s->bind(2, std::int64_t{counters.pair.failures});
    s->bind(3, counters.pair.last);
    s->bind(4, counters.pair.wait_until);
    s->run();
  } else {
    auto s = db_->cached("DELETE FROM amis_login_pairs WHERE digest = ?");
    s->bind(1, std::string_view(pair));
    s->run();
  }
  for (const auto& [name, last] : before) {
    if (counters.names.contains(name)) continue;
    auto s = db_->cached("DELETE FROM amis_login_names WHERE address = ? AND name = ?");
    s->bind(1, std::string_view(address));
    s->bind(2, std::string_view(name));
    s->run();
  }
  for (const auto& [name, last] : counters.names) {
    if (auto it = before.find(name); it != before.end() && it->second == last) continue;
    auto s = db_->cached("INSERT OR REPLACE INTO amis_login_names (address, name, last) VALUES (?, ?, ?)");
    s->bind(1, std::string_view(address));
    s->bind(2, std::string_view(name));
    s->bind(3, last);
    s->run();
  }
  tx.commit();
}

}  // namespace amis::store::gpkg
