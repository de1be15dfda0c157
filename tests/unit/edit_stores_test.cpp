// The change sets and accounts of both stores (issue 14) through the same
// scenarios: GpkgChangeSets/GpkgAccounts on a GeoPackage and PgChangeSets/
// PgAccounts on PostgreSQL (when AMIS_TEST_PG_URL names a cluster). Each
// scenario checks its outcome with plain SQL of the backend (sqlite3 or libpq)
// and returns a transcript; the two backends' transcripts must be equal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <regex>
#include <string>
#include <thread>

#include "auth/secrets.hpp"
#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_accounts.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/postgis/pg_accounts.hpp"
#include "store/postgis/pg_change_sets.hpp"
#include "store/postgis/postgis_store.hpp"
#include "edit_support.hpp"
#include "test_support.hpp"

namespace {

using amis::edit::ChangeSetState;
using amis::edit::Operation;
namespace store = amis::store;

// One store of either kind, with the mines of test_support.hpp published.
struct Backend {
  virtual ~Backend() = default;
  virtual store::ChangeSetStore& change_sets() = 0;
  virtual store::AccountStore& accounts() = 0;
  // The stores of a second node on the same data (its own connections; the
  // backend outlives them).
  virtual std::unique_ptr<store::ChangeSetStore> other_change_sets() = 0;
  virtual std::unique_ptr<store::AccountStore> other_accounts() = 0;
  // Plain SQL, not the store's code: rows' first columns, and whether a write succeeds.
  virtual std::string query(const std::string& sql) = 0;
  virtual bool write(const std::string& sql) = 0;
  virtual std::string table() const = 0;  // the mines' feature table
  virtual void reimport() = 0;            // the mines imported again
  virtual amis::core::Collection published_collection() = 0;  // as the store serves it now
  amis::core::Collection mines = amis::testing::mines_collection();
};

struct GpkgBackend : Backend {
  amis::testing::TempStorePath path{"edit-stores"};
  store::gpkg::GpkgStore stored{path.str()};
  std::unique_ptr<store::gpkg::GpkgChangeSets> sets;
  std::unique_ptr<store::gpkg::GpkgAccounts> users;
  GpkgBackend() {
    amis::testing::write_mines(stored);
    mines = *stored.collection("mines");
    sets = std::make_unique<store::gpkg::GpkgChangeSets>(path.str());
    users = std::make_unique<store::gpkg::GpkgAccounts>(path.str());
  }
  store::ChangeSetStore& change_sets() override { return *sets; }
  store::AccountStore& accounts() override { return *users; }
  std::unique_ptr<store::ChangeSetStore> other_change_sets() override {
    return std::make_unique<store::gpkg::GpkgChangeSets>(path.str());
  }
  std::unique_ptr<store::AccountStore> other_accounts() override {
    return std::make_unique<store::gpkg::GpkgAccounts>(path.str());
  }
  std::string query(const std::string& sql) override { return amis::testing::sqlite_text(path.str(), sql.c_str()); }
  bool write(const std::string& sql) override {
    sqlite3* db = nullptr;
    sqlite3_open(path.str().c_str(), &db);
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
  }
  std::string table() const override { return "mines"; }
  void reimport() override { amis::testing::write_mines(stored); }
  amis::core::Collection published_collection() override { return *stored.collection("mines"); }
};

struct PgBackend : Backend {
  amis::testing::PgTestDatabase database;
  store::postgis::PostgisStore stored;
  store::postgis::PgChangeSets sets{stored.pool()};
  store::postgis::PgAccounts users{stored.pool()};
  std::vector<std::unique_ptr<store::postgis::Pool>> other_pools;
  explicit PgBackend(const std::string& url) : database(url), stored(database.url(), 4, "/tmp") {
    amis::testing::write_mines(stored);
    mines = *stored.collection("mines");
  }
  store::ChangeSetStore& change_sets() override { return sets; }
  store::AccountStore& accounts() override { return users; }
  std::unique_ptr<store::ChangeSetStore> other_change_sets() override {
    other_pools.push_back(std::make_unique<store::postgis::Pool>(database.url(), 2));
    return std::make_unique<store::postgis::PgChangeSets>(*other_pools.back());
  }
  std::unique_ptr<store::AccountStore> other_accounts() override {
    other_pools.push_back(std::make_unique<store::postgis::Pool>(database.url(), 2));
    return std::make_unique<store::postgis::PgAccounts>(*other_pools.back());
  }
  std::string query(const std::string& sql) override { return database.text(sql); }
  bool write(const std::string& sql) override { return database.run(sql); }
  std::string table() const override { return "amis_data.mines"; }
  void reimport() override { amis::testing::write_mines(stored); }
  amis::core::Collection published_collection() override { return *stored.collection("mines"); }
};

using amis::testing::change;
using amis::testing::state;
using amis::testing::submitted;

std::string base_of(Backend& b, std::int64_t fid) { return amis::edit::digest(*b.change_sets().current(b.mines, fid)); }

bool is_millisecond_time(const std::string& t) {
  static const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  return std::regex_match(t, rfc3339);
}

// A submitted change set: a new feature 4, feature 1 renamed, feature 2 deleted.
amis::edit::ChangeSet insert_replace_delete(Backend& b) {
  return b.change_sets().create(
      submitted("editor"), {change(Operation::Insert, std::nullopt, "", state("POINT (100 13)", "New", "THA")),
                            change(Operation::Replace, 1, base_of(b, 1), state("POINT (104.5 14.5)", "Han Seng 2", "KHM")),
                            change(Operation::Delete, 2, base_of(b, 2))});
}

std::string published(Backend& b) { return b.query("SELECT fid || ' ' || name FROM " + b.table() + " ORDER BY fid"); }

std::string approval_applies_everything(Backend& b) {
  auto& sets = b.change_sets();
  const auto cs = insert_replace_delete(b);
  EXPECT_EQ(cs.change_count, 3);
  EXPECT_TRUE(is_millisecond_time(cs.created)) << cs.created;
  EXPECT_EQ(cs.created, cs.submitted);
  EXPECT_TRUE(sets.approve(b.mines, cs.id, "reviewer", "fine").empty());
  std::string out = published(b);
  EXPECT_EQ(out, "1 Han Seng 2;3 Bailongshan;4 New;");
  const auto versions = b.query(
      "SELECT fid || ':' || version || ':' || operation || ':' || coalesce(CAST(change_set AS TEXT), '-') "
      "FROM amis_feature_versions ORDER BY fid, version");
  EXPECT_EQ(versions, "1:0:import:-;1:1:replace:1;2:0:import:-;2:1:delete:1;4:1:insert:1;");
  out += versions;
  const auto catalogue = b.query(
      "SELECT feature_count || ' ' || temporal_start || ' ' || temporal_end FROM amis_collections WHERE id = 'mines'");
  EXPECT_EQ(catalogue, "3 2010-03-15T08:00:00.000Z 2010-03-15T08:00:00.000Z;");
  out += catalogue;
  const auto approved = *sets.change_set(cs.id);
  EXPECT_EQ(approved.state, ChangeSetState::Approved);
  EXPECT_TRUE(is_millisecond_time(approved.reviewed)) << approved.reviewed;
  out += approved.reviewer + " " + approved.comment + ";";

  const auto history = sets.history(b.mines, 1);
  EXPECT_EQ(history.size(), 2u);
  for (const auto& v : history) {
    out += v.operation + " " + v.author + " " + (v.state ? v.state->properties.dump() + amis::edit::digest(*v.state) : "-") + ";";
    if (v.number > 0) {
      EXPECT_EQ(v.time, approved.reviewed);
    }
  }
  const auto deleted = sets.history(b.mines, 2);
  EXPECT_EQ(deleted.size(), 2u);
  if (deleted.size() == 2) {
    EXPECT_FALSE(deleted[1].state);
  }
  const auto untouched = sets.history(b.mines, 3);
  EXPECT_EQ(untouched.size(), 1u);
  if (!untouched.empty()) out += untouched[0].operation + amis::edit::digest(*untouched[0].state) + ";";
  EXPECT_EQ(sets.changes(cs.id)[0].fid, 4);
  out += "etag " + base_of(b, 4) + " " + base_of(b, 3);  // the ETags of an inserted and an imported feature
  return out;
}

std::string as_of_reads_the_past(Backend& b) {
  auto& sets = b.change_sets();
  const auto cs = insert_replace_delete(b);
  EXPECT_TRUE(sets.approve(b.mines, cs.id, "reviewer", "").empty());
  const std::string approved = sets.change_set(cs.id)->reviewed;
  auto read = [&](const std::string& instant, std::int64_t limit = 100, std::int64_t offset = 0) {
    amis::testing::RecordingSink sink;
    sets.features_as_of(b.mines, instant, limit, offset, sink);
    std::string out;
    for (std::size_t i = 0; i < sink.ids.size(); ++i) out += std::to_string(sink.ids[i]) + " " + sink.names[i] + ";";
    return out;
  };
  const std::string before = "2000-01-01T00:00:00.000Z";
  std::string out = read(before) + "|" + read(approved) + "|" + read(before, 1, 1) + "|";
  EXPECT_EQ(read(before), "1 Han Seng;2 Kaltim Prima;3 Bailongshan;");
  EXPECT_EQ(read(approved), "1 Han Seng 2;3 Bailongshan;4 New;");
  EXPECT_EQ(read(before, 1, 1), "2 Kaltim Prima;");
  // Text comparison of instants, as in SQLite: "…SS.mmmZ" before "…SSZ" of the same second.
  out += read(approved.substr(0, 19) + "Z") + "|";
  EXPECT_EQ(read("9999-12-31T00:00:00.000Z"), published(b));
  return out;
}

std::string a_conflict_applies_nothing(Backend& b) {
  auto& sets = b.change_sets();
  const auto first = sets.create(submitted("a"), {change(Operation::Replace, 1, base_of(b, 1), state("POINT (104 14)", "A", "KHM"))});
  const auto second = sets.create(
      submitted("b"), {change(Operation::Insert, std::nullopt, "", state("POINT (100 13)", "New", "THA")),
                       change(Operation::Replace, 1, base_of(b, 1), state("POINT (105 15)", "B", "KHM")),
                       change(Operation::Delete, 2, base_of(b, 2))});
  EXPECT_TRUE(sets.approve(b.mines, first.id, "r", "").empty());
  const std::string before = published(b) + b.query("SELECT count(*) FROM amis_feature_versions");
  const auto conflicts = sets.approve(b.mines, second.id, "r", "");
  EXPECT_EQ(conflicts.size(), 1u);
  std::string out;
  for (const auto& c : conflicts) out += std::to_string(c.fid) + " " + c.reason + ";";
  EXPECT_EQ(published(b) + b.query("SELECT count(*) FROM amis_feature_versions"), before);
  EXPECT_EQ(sets.change_set(second.id)->state, ChangeSetState::Submitted);
  EXPECT_THROW(sets.approve(b.mines, first.id, "r", ""), amis::core::Conflict);  // already approved
  return out + before;
}

std::string drafts_and_transitions(Backend& b) {
  auto& sets = b.change_sets();
  auto draft = submitted("a");
  draft.state = ChangeSetState::Draft;
  const auto cs = sets.create(draft, {});
  EXPECT_TRUE(cs.submitted.empty());
  const auto base = base_of(b, 1);
  sets.add_changes(cs.id, {change(Operation::Replace, 1, base, state("POINT (104 14)", "A", "KHM"))});
  sets.add_changes(cs.id, {change(Operation::Replace, 1, base, state("POINT (104 14)", "B", "KHM")),
                           change(Operation::Delete, 3, base_of(b, 3))});
  sets.add_changes(cs.id, {change(Operation::Delete, 1, base)});
  const auto changes = sets.changes(cs.id);
  std::string out;
  for (const auto& c : changes)
    out += std::to_string(c.seq) + " " + amis::edit::to_string(c.operation) + " " + std::to_string(*c.fid) + " " +
           c.after.properties.dump() + " " + std::to_string(c.after.wkb.size()) + ";";
  EXPECT_EQ(out, "1 delete 1 {} 0;2 delete 3 {} 0;");
  EXPECT_TRUE(sets.transition(cs.id, ChangeSetState::Draft, ChangeSetState::Submitted, "", ""));
  EXPECT_FALSE(sets.transition(cs.id, ChangeSetState::Draft, ChangeSetState::Submitted, "", ""));
  EXPECT_TRUE(is_millisecond_time(sets.change_set(cs.id)->submitted));
  EXPECT_TRUE(sets.transition(cs.id, ChangeSetState::Submitted, ChangeSetState::Rejected, "rev", "not this"));
  const auto rejected = *sets.change_set(cs.id);
  EXPECT_TRUE(is_millisecond_time(rejected.reviewed));
  out += std::string(amis::edit::to_string(rejected.state)) + " " + rejected.reviewer + " " + rejected.comment + ";";
  sets.create(submitted("b"), {});
  store::ChangeSetFilter f;
  f.state = ChangeSetState::Rejected;
  out += std::to_string(sets.change_sets(f).size()) + ";";
  f = {};
  f.author = "b";
  out += std::to_string(sets.change_sets(f).size()) + ";";
  f = {};
  f.limit = 1;
  out += std::to_string(sets.change_sets(f).at(0).id) + ";";  // newest first
  return out;
}

std::string the_audit_log_is_append_only(Backend& b) {
  auto& sets = b.change_sets();
  sets.audit("alice", "approve", "change set 1", "ok");
  sets.audit("bob", "reject", "change set 2", "no");
  sets.audit("carol", "login", "carol", "client 0123");
  const auto log = sets.audit_log(10, std::nullopt);
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(log.at(0).actor, "carol");  // newest first
  EXPECT_TRUE(is_millisecond_time(log.at(0).time));
  const auto page = sets.audit_log(1, log.at(0).id);
  EXPECT_EQ(page.at(0).actor, "bob");
  EXPECT_FALSE(b.write("UPDATE amis_audit SET actor = 'mallory'"));
  EXPECT_FALSE(b.write("DELETE FROM amis_audit"));
  EXPECT_FALSE(b.write("DELETE FROM amis_audit WHERE actor = 'alice'"));
  const auto after = b.query("SELECT actor || ' ' || action || ' ' || subject || ' ' || detail FROM amis_audit ORDER BY id");
  EXPECT_EQ(after, "alice approve change set 1 ok;bob reject change set 2 no;carol login carol client 0123;");
  return after;
}

// Two nodes approve at once, many times over: the same change set (one
// approves, the other is told it is no longer submitted), and two change sets
// on one feature (one applies, the other conflicts). Never both, never half.
std::string concurrent_approvals_have_one_winner(Backend& b) {
  auto other = b.other_change_sets();
  store::ChangeSetStore* nodes[2] = {&b.change_sets(), other.get()};
  int rounds = 0;
  for (int round = 0; round < 8; ++round) {
    const auto base = base_of(b, 1);
    const std::string name = "round " + std::to_string(round);
    const auto one = b.change_sets().create(
        submitted("a"), {change(Operation::Replace, 1, base, state("POINT (104 14)", name + " a", "KHM")),
                         change(Operation::Insert, std::nullopt, "", state("POINT (101 11)", name + " new a", "THA"))});
    const auto two = b.change_sets().create(
        submitted("b"), {change(Operation::Insert, std::nullopt, "", state("POINT (102 12)", name + " new b", "THA")),
                         change(Operation::Replace, 1, base, state("POINT (105 15)", name + " b", "KHM"))});
    std::atomic<int> applied{0}, conflicted{0}, refused{0};
    auto approve = [&](store::ChangeSetStore* node, std::int64_t id) {
      try {
        if (node->approve(b.mines, id, "r", "").empty()) ++applied;
        else ++conflicted;
      } catch (const amis::core::Conflict&) {
        ++refused;
      }
    };
    const bool same = round % 2 == 0;
    std::thread t1(approve, nodes[0], one.id);
    std::thread t2(approve, nodes[1], same ? one.id : two.id);
    t1.join();
    t2.join();
    EXPECT_EQ(applied.load(), 1) << round;
    EXPECT_EQ(conflicted.load() + refused.load(), 1) << round;
    EXPECT_EQ(same ? refused.load() : conflicted.load(), 1) << round;
    // The winner's two changes, both applied; the loser's none.
    const auto names = published(b);
    const bool a_won = names.find(name + " a;") != std::string::npos;
    EXPECT_NE(a_won, names.find(name + " b;") != std::string::npos) << names;
    EXPECT_NE(names.find(name + (a_won ? " new a;" : " new b;")), std::string::npos) << names;
    EXPECT_EQ(names.find(name + (a_won ? " new b;" : " new a;")), std::string::npos) << names;
    if (same) b.change_sets().transition(two.id, ChangeSetState::Submitted, ChangeSetState::Rejected, "r", "");
    rounds += applied.load();
  }
  const auto versions = b.query("SELECT count(*) FROM amis_feature_versions WHERE fid = 1");
  EXPECT_EQ(versions, "9;");  // the import and one per round
  return std::to_string(rounds) + " " + versions + b.query("SELECT count(*) FROM " + b.table());
}

std::string the_last_administrator_stays(Backend& b) {
  auto& accounts = b.accounts();
  const auto hash = amis::auth::hash_password("0123456789");
  for (const char* name : {"admin1", "admin2", "Zed", "alice"})
    accounts.add_user({name, name[0] == 'a' && name[1] == 'd' ? amis::auth::Role::Admin : amis::auth::Role::Editor,
                       name[0] == 'a' && name[1] == 'd' ? "" : "THA", false, ""},
                      hash);
  EXPECT_THROW(accounts.add_user({"alice", amis::auth::Role::Admin, "", false, ""}, hash), amis::core::Conflict);
  std::string out;
  for (const auto& u : accounts.users()) out += u.name + " " + amis::auth::to_string(u.role) + ";";  // byte order
  EXPECT_EQ(out, "Zed editor;admin1 admin;admin2 admin;alice editor;");
  EXPECT_TRUE(accounts.set_disabled("admin1", true));
  EXPECT_THROW(accounts.set_disabled("admin2", true), amis::core::Conflict);
  EXPECT_THROW(accounts.set_role("admin2", amis::auth::Role::Reviewer, ""), amis::core::Conflict);
  EXPECT_FALSE(accounts.set_disabled("nobody", true));
  EXPECT_FALSE(accounts.set_role("nobody", amis::auth::Role::Editor, "THA"));
  EXPECT_TRUE(accounts.set_role("alice", amis::auth::Role::Admin, ""));
  EXPECT_TRUE(accounts.set_role("admin2", amis::auth::Role::Reviewer, ""));
  EXPECT_TRUE(accounts.set_disabled("admin1", false));
  EXPECT_TRUE(accounts.set_password("alice", "another hash"));
  EXPECT_EQ(accounts.password_hash("alice"), "another hash");
  EXPECT_FALSE(accounts.password_hash("nobody"));

  // Two nodes take the rights of the two administrators left at the same time.
  auto other = b.other_accounts();
  for (int round = 0; round < 8; ++round) {
    std::atomic<int> done{0}, refused{0};
    auto disable = [&](store::AccountStore* node, const char* name) {
      try {
        if (round % 2 ? node->set_role(name, amis::auth::Role::Editor, "THA") : node->set_disabled(name, true)) ++done;
      } catch (const amis::core::Conflict&) {
        ++refused;
      }
    };
    std::thread t1(disable, &accounts, "admin1");
    std::thread t2(disable, other.get(), "alice");
    t1.join();
    t2.join();
    EXPECT_EQ(done.load(), 1) << round;
    EXPECT_EQ(refused.load(), 1) << round;
    EXPECT_EQ(b.query("SELECT count(*) FROM amis_users WHERE role = 'admin' AND NOT disabled"), "1;") << round;
    for (const char* name : {"admin1", "alice"}) {
      accounts.set_disabled(name, false);
      accounts.set_role(name, amis::auth::Role::Admin, "");
    }
  }
  for (const auto& u : accounts.users()) out += u.name + " " + amis::auth::to_string(u.role) + (u.disabled ? " disabled" : "") + ";";
  return out;
}

std::string tokens_and_sessions(Backend& b) {
  auto& accounts = b.accounts();
  accounts.add_user({"editor1", amis::auth::Role::Editor, "VNM", false, ""}, "hash");
  const auto id = accounts.add_token("editor1", "digest-1", "laptop");
  accounts.add_token("editor1", "digest-2", "qgis");
  EXPECT_THROW(accounts.add_token("nobody", "digest-3", ""), amis::core::NotFound);
  EXPECT_EQ(accounts.user_for_token("digest-1")->name, "editor1");
  EXPECT_TRUE(accounts.revoke_token(id));
  EXPECT_FALSE(accounts.revoke_token(id));
  EXPECT_FALSE(accounts.user_for_token("digest-1"));
  std::string out;
  for (const auto& t : accounts.tokens("editor1")) {
    out += std::to_string(t.id) + " " + t.user + " " + t.label + (t.revoked ? " revoked" : "") + ";";
    EXPECT_EQ(t.created.size(), 20u) << t.created;  // 2026-12-05T12:00:00Z
  }
  accounts.add_session("s1", {"editor1", "csrf-1", 1000});
  accounts.add_session("s2", {"editor1", "csrf-2", 2000});
  EXPECT_EQ(accounts.session("s1", 999)->csrf, "csrf-1");
  EXPECT_FALSE(accounts.session("s1", 1000));  // expired
  EXPECT_EQ(accounts.session("s2", 1500)->expires, 2000);
  accounts.remove_session("s2");
  EXPECT_FALSE(accounts.session("s2", 1500));
  accounts.add_session("s3", {"editor1", "csrf-3", 5000});
  accounts.remove_sessions_of("editor1");
  EXPECT_FALSE(accounts.session("s3", 1));
  // A session a year past its end is deleted by the next login.
  accounts.add_session("s4", {"editor1", "csrf-4", 1000 + 400 * 86400});
  out += b.query("SELECT count(*) FROM amis_sessions");
  return out;
}

std::string reimporting_starts_a_new_history(Backend& b) {
  auto& sets = b.change_sets();
  const auto cs = sets.create(submitted("a"), {change(Operation::Replace, 1, base_of(b, 1), state("POINT (104 14)", "A", "KHM"))});
  EXPECT_TRUE(sets.approve(b.mines, cs.id, "r", "").empty());
  EXPECT_EQ(b.query("SELECT count(*) FROM amis_feature_versions"), "2;");
  b.reimport();
  EXPECT_EQ(b.query("SELECT count(*) FROM amis_feature_versions"), "0;");
  const auto history = sets.history(b.mines, 1);
  EXPECT_EQ(history.size(), 1u);
  return published(b) + (history.empty() ? "" : history[0].operation);
}

// A change of the catalogue: the record's document (a deletion: its id).
amis::edit::Change record_change(Operation op, const std::string& id, const std::string& title, std::string base = "") {
  amis::edit::Change c;
  c.operation = op;
  c.base = std::move(base);
  if (op == Operation::Delete) {
    c.after.properties = {{"id", id}};
    return c;
  }
  amis::catalog::Record r;
  r.id = id;
  r.type = "document";
  r.title = title;
  r.country = "IDN";
  c.after.properties = amis::catalog::to_json(r);
  return c;
}

amis::edit::ChangeSet catalogue_change_set(const std::string& author) {
  auto cs = submitted(author);
  cs.collection = std::string(amis::edit::kCatalogChangeSets);
  return cs;
}

std::string record_base(Backend& b, const std::string& id) {
  return b.query("SELECT document FROM amis_records WHERE id = '" + id + "'").empty()
             ? ""
             : amis::edit::record_digest(b.change_sets().record_history(id).back().document.value());
}

// Catalogue change sets: approval writes the records with their versions and the
// audit entry; a change against a record changed meanwhile applies nothing.
// The change feed numbers approvals 1, 2, ... (issue 16); a change set synced
// from a node is applied once, in sequence, all or nothing, with its provenance.
std::string synced_change_sets_apply_once_in_sequence(Backend& b) {
  auto& sets = b.change_sets();
  const auto first = insert_replace_delete(b);
  EXPECT_TRUE(sets.approve(b.mines, first.id, "reviewer", "").empty());
  const auto rejected = sets.create(submitted("editor"), {change(Operation::Delete, 3, base_of(b, 3))});
  EXPECT_TRUE(sets.transition(rejected.id, ChangeSetState::Submitted, ChangeSetState::Rejected, "reviewer", ""));
  const auto feed = sets.approved_since(0, 10);
  EXPECT_EQ(feed.size(), 1u);
  std::string out = "feed " + std::to_string(feed.size()) + " " + std::to_string(feed.at(0).sequence) + " " +
                    std::to_string(feed.at(0).changes.size()) + ";";

  amis::store::SyncedChangeSet synced;
  synced.node = "idn";
  synced.remote_id = 77;
  synced.remote_approved = "2026-12-06T00:00:00.000Z";
  synced.change_set.title = "From IDN";
  synced.change_set.author = "node:idn";
  synced.change_set.country = "IDN";
  synced.changes = {change(Operation::Insert, std::nullopt, "", state("POINT (110 -7)", "Synced", "IDN")),
                    change(Operation::Replace, 4, base_of(b, 4), state("POINT (100 13)", "New 2", "THA"))};
  synced.remote_fids = {900, 4};
  auto outcome = [&](const amis::store::SyncApplied& a) {
    return std::to_string(static_cast<int>(a.outcome)) + "/" + std::to_string(a.expected) + "/" +
           std::to_string(a.conflicts.size()) + ";";
  };
  synced.sequence = 2;  // a gap: 1 was never applied
  out += outcome(sets.apply_synced(b.mines, synced));
  synced.sequence = 1;
  auto stale = synced;
  stale.changes[1].base = "0000";
  out += outcome(sets.apply_synced(b.mines, stale));  // a conflict: nothing of it applied
  out += published(b);
  const auto applied = sets.apply_synced(b.mines, synced);
  out += outcome(applied);
  out += outcome(sets.apply_synced(b.mines, synced));  // again: already applied
  out += published(b);
  out += "at " + std::to_string(sets.synced_sequence("idn")) + ";";
  const auto mapped = sets.synced_fids("idn", "mines", {900, 4, 901});
  out += (mapped[0] ? std::to_string(*mapped[0]) : "-") + (mapped[1] ? "?" : "-") + (mapped[2] ? "?" : "-") + ";";
  out += b.query("SELECT node || ' ' || sequence || ' ' || remote_change_set || ' ' || change_set FROM amis_synced");
  out += b.query("SELECT state || ' ' || author || ' ' || country FROM amis_change_sets WHERE id = " +
                 std::to_string(applied.change_set));
  out += b.query("SELECT fid || ':' || version || ':' || operation || ':' || author FROM amis_feature_versions "
                 "WHERE change_set = " + std::to_string(applied.change_set) + " ORDER BY fid");
  // a node's change set is no entry of this node's feed
  EXPECT_EQ(sets.approved_since(0, 10).size(), 1u);
  EXPECT_EQ(out,
            "feed 1 1 3;2/1/0;3/0/1;1 Han Seng 2;3 Bailongshan;4 New;0/0/0;1/0/0;1 Han Seng 2;3 Bailongshan;4 New 2;"
            "5 Synced;at 1;5--;idn 1 77 3;approved node:idn IDN;4:2:replace:node:idn;5:1:insert:node:idn;");
  return out;
}

std::string records_are_approved_with_their_history(Backend& b) {
  auto& sets = b.change_sets();
  const auto first = sets.create(catalogue_change_set("idn"), {record_change(Operation::Insert, "r-1", "Report"),
                                                             record_change(Operation::Insert, "r-2", "Map")});
  EXPECT_TRUE(sets.approve_records(first.id, "reviewer", "fine").empty());
  std::string out = b.query("SELECT id || ' ' || title || ' ' || origin || ' ' || country FROM amis_records "
                            "WHERE origin = 'authored' ORDER BY id");
  EXPECT_EQ(out, "r-1 Report authored IDN;r-2 Map authored IDN;");
  const auto base = record_base(b, "r-1");
  const auto second = sets.create(catalogue_change_set("idn"), {record_change(Operation::Replace, "r-1", "Report 2", base),
                                                              record_change(Operation::Delete, "r-2", "", record_base(b, "r-2"))});
  const auto stale = sets.create(catalogue_change_set("vnm"), {record_change(Operation::Replace, "r-1", "Stale", base)});
  EXPECT_TRUE(sets.approve_records(second.id, "reviewer", "").empty());
  const auto conflicts = sets.approve_records(stale.id, "reviewer", "");
  EXPECT_EQ(conflicts.size(), 1u);
  for (const auto& c : conflicts) out += c.record + ": " + c.reason + ";";
  EXPECT_EQ(sets.change_set(stale.id)->state, ChangeSetState::Submitted);
  const auto records = b.query("SELECT id || ' ' || title FROM amis_records WHERE origin = 'authored' ORDER BY id");
  EXPECT_EQ(records, "r-1 Report 2;");
  out += records;
  const auto versions = b.query("SELECT record || ':' || version || ':' || operation || ':' || change_set "
                                "FROM amis_record_versions ORDER BY record, version");
  EXPECT_EQ(versions, "r-1:1:insert:1;r-1:2:replace:2;r-2:1:insert:1;r-2:2:delete:2;");
  out += versions;
  const auto history = sets.record_history("r-1");
  EXPECT_EQ(history.size(), 2u);
  for (const auto& v : history) {
    out += v.operation + " " + v.author + " " + (v.document ? v.document->value("title", "") : "-") + ";";
    EXPECT_TRUE(is_millisecond_time(v.time)) << v.time;
  }
  EXPECT_EQ(b.query("SELECT count(*) FROM amis_record_terms t JOIN amis_records r ON " +
                    std::string(b.table() == "mines" ? "t.fid = r.fid" : "t.id = r.id") + " WHERE r.id = 'r-2'"),
            "0;");
  EXPECT_EQ(b.query("SELECT actor || ' ' || action || ' ' || detail FROM amis_audit ORDER BY id"),
            "reviewer approve catalog, 2 changes;reviewer approve catalog, 2 changes;");
  return out;
}

// 80 approvals of random inserts, moves and deletions, biased to the features on
// the edges of the extent and to the first and last times (ties included): after
// each, the catalogue's count, extent and time span equal those of a plain model
// of the features kept here, not read from the store.
std::string approvals_keep_the_summary_exact(Backend& b) {
  struct Feature {
    std::optional<std::pair<double, double>> xy;
    std::optional<std::string> time;
  };
  std::map<std::int64_t, Feature> model = {{1, {{{104.3, 14.2}}, "2021-01-01T00:00:00.000Z"}},
                                           {2, {{{116.5, -1.5}}, "1992-06-01T00:00:00.000Z"}},
                                           {3, {{{104.7, 25.2}}, "2010-03-15T08:00:00.000Z"}}};
  std::mt19937 random(20261206);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  auto new_feature = [&]() {
    Feature f;
    if (pick(12) != 0) f.xy = std::make_pair(100.0 + pick(21) * 0.5, -5.0 + pick(21) * 0.5);  // a grid: ties
    if (pick(8) != 0) f.time = "20" + std::to_string(10 + pick(6)) + "-01-01T00:00:00.000Z";
    return f;
  };
  auto as_state = [](const Feature& f) {
    nlohmann::json properties{{"name", "n"}, {"iso3", "KHM"}, {"capacity", 1.0}, {"opened", nullptr}};
    if (f.time) properties["opened"] = *f.time;
    std::vector<std::uint8_t> wkb;
    if (f.xy) {
      const std::string wkt = "POINT (" + std::to_string(f.xy->first) + " " + std::to_string(f.xy->second) + ")";
      wkb = amis::testing::wkb_from_wkt(wkt.c_str());
    }
    return amis::edit::FeatureState{wkb, properties};
  };
  // A feature on an edge or with the first or last time, or any one.
  auto target = [&](const std::set<std::int64_t>& taken) -> std::optional<std::int64_t> {
    std::vector<std::int64_t> ids;
    for (const auto& [fid, f] : model)
      if (!taken.count(fid)) ids.push_back(fid);
    if (ids.empty()) return std::nullopt;
    if (pick(2) == 0) {
      const int side = pick(6);
      auto before = [&](std::int64_t a, std::int64_t c) {  // a nearer to that edge than c
        const auto &fa = model[a], &fc = model[c];
        if (side >= 4) {
          if (!fa.time || !fc.time) return fa.time.has_value() && !fc.time;
          return side == 4 ? *fa.time < *fc.time : *fa.time > *fc.time;
        }
        if (!fa.xy || !fc.xy) return fa.xy.has_value() && !fc.xy;
        const double va = side % 2 ? fa.xy->second : fa.xy->first, vc = side % 2 ? fc.xy->second : fc.xy->first;
        return side < 2 ? va < vc : va > vc;
      };
      return *std::min_element(ids.begin(), ids.end(), before);
    }
    return ids[static_cast<std::size_t>(pick(static_cast<int>(ids.size())))];
  };
  std::string transcript;
  for (int round = 0; round < 80; ++round) {
    std::vector<amis::edit::Change> changes;
    std::vector<std::pair<std::size_t, Feature>> inserted;  // change index, feature
    std::set<std::int64_t> taken;
    const int n = 1 + pick(5);
    for (int i = 0; i < n; ++i) {
      const int op = round < 15 ? 0 : pick(7);
      if (op < 3) {
        const Feature f = new_feature();
        inserted.emplace_back(changes.size(), f);
        changes.push_back(change(Operation::Insert, std::nullopt, "", as_state(f)));
        continue;
      }
      const auto fid = target(taken);
      if (!fid) continue;
      taken.insert(*fid);
      if (op < 5) {
        const Feature f = new_feature();
        changes.push_back(change(Operation::Replace, *fid, base_of(b, *fid), as_state(f)));
        model[*fid] = f;
      } else {
        changes.push_back(change(Operation::Delete, *fid, base_of(b, *fid)));
        model.erase(*fid);
      }
    }
    const auto cs = b.change_sets().create(submitted("editor"), changes);
    EXPECT_TRUE(b.change_sets().approve(b.mines, cs.id, "reviewer", "").empty());
    const auto applied = b.change_sets().changes(cs.id);
    for (const auto& [index, f] : inserted) model[*applied[index].fid] = f;

    std::optional<amis::core::Envelope> extent;
    std::optional<std::string> first, last;
    for (const auto& [fid, f] : model) {
      if (f.xy) {
        if (!extent) extent = amis::core::Envelope{};
        extent->expand(f.xy->first, f.xy->second);
      }
      if (f.time && (!first || *f.time < *first)) first = f.time;
      if (f.time && (!last || *f.time > *last)) last = f.time;
    }
    auto text = [](const std::optional<amis::core::Envelope>& e, std::int64_t count,
                   const std::optional<std::string>& t0, const std::optional<std::string>& t1) {
      std::ostringstream out;
      out.precision(17);
      out << count << " ";
      if (e) out << e->min_x << " " << e->min_y << " " << e->max_x << " " << e->max_y;
      else out << "no extent";
      out << " " << t0.value_or("-") << " " << t1.value_or("-") << ";";
      return out.str();
    };
    const auto c = b.published_collection();
    const auto expected = text(extent, static_cast<std::int64_t>(model.size()), first, last);
    const auto got = text(c.extent, c.feature_count, c.temporal_extent ? c.temporal_extent->start : std::nullopt,
                          c.temporal_extent ? c.temporal_extent->end : std::nullopt);
    if (got != expected) {
      ADD_FAILURE() << "after approval " << round << ": " << got << " instead of " << expected;
      break;
    }
    transcript += got;
  }
  return transcript;
}

using Scenario = std::function<std::string(Backend&)>;
const std::vector<std::pair<const char*, Scenario>>& scenarios() {
  static const std::vector<std::pair<const char*, Scenario>> all = {
      {"approval", approval_applies_everything},
      {"as of", as_of_reads_the_past},
      {"conflict", a_conflict_applies_nothing},
      {"drafts", drafts_and_transitions},
      {"audit", the_audit_log_is_append_only},
      {"concurrent approvals", concurrent_approvals_have_one_winner},
      {"last administrator", the_last_administrator_stays},
      {"tokens and sessions", tokens_and_sessions},
      {"re-import", reimporting_starts_a_new_history},
      {"records", records_are_approved_with_their_history},
      {"summary", approvals_keep_the_summary_exact},
      {"synced change sets", synced_change_sets_apply_once_in_sequence},
  };
  return all;
}

TEST(EditStores, GeoPackageAndPostgisGiveTheSameAnswers) {
  const auto url = amis::testing::test_pg_url();
  for (const auto& [name, scenario] : scenarios()) {
    SCOPED_TRACE(name);
    std::string gpkg, pg;
    {
      GpkgBackend b;
      gpkg = scenario(b);
    }
    if (!url) continue;
    {
      PgBackend b(*url);
      pg = scenario(b);
    }
    EXPECT_EQ(gpkg, pg);
  }
  if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: the GeoPackage side only";
}

}  // namespace
