#include "store/gpkg/gpkg_nodes.hpp"

#include "core/error.hpp"
#include "store/run_failures.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_nodes (
  name TEXT PRIMARY KEY, url TEXT NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL,
  schedule_seconds INTEGER NOT NULL, token TEXT NOT NULL, created TEXT NOT NULL,
  next_run INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0, rate_limit REAL NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS amis_harvested (
  node TEXT NOT NULL, source_id TEXT NOT NULL, record_id TEXT NOT NULL, digest TEXT NOT NULL,
  source_modified TEXT NOT NULL, PRIMARY KEY (node, source_id));
CREATE TABLE IF NOT EXISTS amis_harvest_pages (
  node TEXT NOT NULL, url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, next TEXT NOT NULL,
  items TEXT NOT NULL, reader INTEGER NOT NULL, PRIMARY KEY (node, url));
CREATE TABLE IF NOT EXISTS amis_harvest_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, node TEXT NOT NULL, started TEXT NOT NULL, finished TEXT NOT NULL,
  status TEXT NOT NULL, seen INTEGER NOT NULL, added INTEGER NOT NULL, updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL, withdrawn INTEGER NOT NULL, failed INTEGER NOT NULL, failures TEXT NOT NULL,
  error TEXT NOT NULL, seconds REAL NOT NULL, work_seconds REAL NOT NULL);
CREATE INDEX IF NOT EXISTS amis_harvest_runs_node ON amis_harvest_runs (node, id);
CREATE TABLE IF NOT EXISTS amis_publications (
  collection TEXT PRIMARY KEY, node TEXT NOT NULL, source_id TEXT NOT NULL, mode TEXT NOT NULL,
  metadata TEXT NOT NULL, created TEXT NOT NULL, synced TEXT NOT NULL, last_error TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_node_sync (
  node TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT NOT NULL, status TEXT NOT NULL,
  applied INTEGER NOT NULL, already INTEGER NOT NULL, sequence INTEGER NOT NULL, stopped_at INTEGER NOT NULL,
  reason TEXT NOT NULL, seconds REAL NOT NULL, skipped TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS amis_mirrored (
  collection TEXT NOT NULL, source_id TEXT NOT NULL, fid INTEGER NOT NULL, digest TEXT NOT NULL,
  PRIMARY KEY (collection, source_id));
)SQL";

constexpr const char* kNodeSelect =
    "SELECT name, url, kind, country, schedule_seconds, token, created, next_run, failures, rate_limit "
    "FROM amis_nodes";

federation::Node read_node(sqlite::Statement& s) {
  federation::Node n;
  n.name = s.column_text(0);
  n.url = s.column_text(1);
  n.kind = federation::parse_node_kind(s.column_text(2));
  n.country = s.column_text(3);
  n.schedule_seconds = s.column_int(4);
  n.token = s.column_text(5);
  n.created = s.column_text(6);
  n.next_run = s.column_int(7);
  n.failures = s.column_int(8);
  n.rate_limit = s.column_double(9);
  return n;
}

}  // namespace

GpkgNodes::GpkgNodes(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  db_->exec(kSchema);
  // Stores made before an administrator could skip a change set, and before nodes had a rate limit.
  const auto lacks = [this](const char* table, const char* column) {
    auto s = db_->cached("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    s->bind(1, std::string_view(table));
    s->bind(2, std::string_view(column));
    return !s->step();  // the lease resets the statement before any ALTER TABLE
  };
  if (lacks("amis_node_sync", "skipped")) db_->exec("ALTER TABLE amis_node_sync ADD COLUMN skipped TEXT NOT NULL DEFAULT ''");
  if (lacks("amis_nodes", "rate_limit")) db_->exec("ALTER TABLE amis_nodes ADD COLUMN rate_limit REAL NOT NULL DEFAULT 0");
}

void GpkgNodes::add(const federation::Node& node) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto taken = db_->cached("SELECT 1 FROM amis_nodes WHERE name = ?");
    taken->bind(1, std::string_view(node.name));
    if (taken->step()) throw core::Conflict("a node '" + node.name + "' is registered already");
  }
  auto s = db_->cached(
      "INSERT INTO amis_nodes (name, url, kind, country, schedule_seconds, token, created, next_run, failures, "
      "rate_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(node.name));
  s->bind(2, std::string_view(node.url));
  s->bind(3, federation::to_string(node.kind));
  s->bind(4, std::string_view(node.country));
  s->bind(5, node.schedule_seconds);
  s->bind(6, std::string_view(node.token));
  s->bind(7, std::string_view(node.created));
  s->bind(8, node.next_run);
  s->bind(9, node.failures);
  s->bind(10, node.rate_limit);
  s->run();
  tx.commit();
}

std::vector<federation::Node> GpkgNodes::nodes() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kNodeSelect) + " ORDER BY name");
  std::vector<federation::Node> out;
  while (s->step()) out.push_back(read_node(*s));
  return out;
}

std::optional<federation::Node> GpkgNodes::node(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kNodeSelect) + " WHERE name = ?");
  s->bind(1, name);
  if (!s->step()) return std::nullopt;
  return read_node(*s);
}

bool GpkgNodes::remove(std::string_view name) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  for (const char* sql : {"DELETE FROM amis_harvested WHERE node = ?", "DELETE FROM amis_harvest_runs WHERE node = ?",
                          "DELETE FROM amis_harvest_pages WHERE node = ?",
                          "DELETE FROM amis_node_sync WHERE node = ?"}) {
    auto s = db_->cached(sql);
    s->bind(1, name);
    s->run();
  }
  auto s = db_->cached("DELETE FROM amis_nodes WHERE name = ?");
  s->bind(1, name);
  s->run();
  const bool removed = sqlite3_changes(db_->handle()) > 0;
  tx.commit();
  return removed;
}

void GpkgNodes::set_schedule_state(std::string_view name, std::int64_t next_run, std::int64_t failures) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("UPDATE amis_nodes SET next_run = ?, failures = ? WHERE name = ?");
  s->bind(1, next_run);
  s->bind(2, failures);
  s->bind(3, name);
  s->run();
}

bool GpkgNodes::set_settings(std::string_view name, const federation::NodeSettings& settings) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "UPDATE amis_nodes SET schedule_seconds = coalesce(?, schedule_seconds), next_run = coalesce(?, next_run), "
      "token = coalesce(?, token), rate_limit = coalesce(?, rate_limit) WHERE name = ?");
  if (settings.schedule_seconds) s->bind(1, *settings.schedule_seconds);
  else s->bind_null(1);
  if (settings.next_run) s->bind(2, *settings.next_run);
  else s->bind_null(2);
  if (settings.token) s->bind(3, std::string_view(*settings.token));
  else s->bind_null(3);
  if (settings.rate_limit) s->bind(4, *settings.rate_limit);
  else s->bind_null(4);
  s->bind(5, name);
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

std::vector<federation::HarvestedEntry> GpkgNodes::harvested(std::string_view node) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT source_id, record_id, digest, source_modified FROM amis_harvested WHERE node = ?");
  s->bind(1, node);
  std::vector<federation::HarvestedEntry> out;
  while (s->step())
    out.push_back({std::string(s->column_text(0)), std::string(s->column_text(1)), std::string(s->column_text(2)),
                   std::string(s->column_text(3))});
  return out;
}

void GpkgNodes::save_harvested(std::string_view node, const std::vector<federation::HarvestedEntry>& put,
                               const std::vector<std::string>& removed) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto s = db_->cached(
        "INSERT OR REPLACE INTO amis_harvested (node, source_id, record_id, digest, source_modified) "
        "VALUES (?, ?, ?, ?, ?)");
    for (const auto& e : put) {
      s->bind(1, node);
      s->bind(2, std::string_view(e.source_id));
      s->bind(3, std::string_view(e.record_id));
      s->bind(4, std::string_view(e.digest));
      s->bind(5, std::string_view(e.source_modified));
      s->run();
      s->reset();
    }
  }
  {
    auto s = db_->cached("DELETE FROM amis_harvested WHERE node = ? AND source_id = ?");
    for (const auto& id : removed) {
      s->bind(1, node);
      s->bind(2, std::string_view(id));
      s->run();
      s->reset();
    }
  }
  tx.commit();
}

std::vector<federation::HarvestedPage> GpkgNodes::harvested_pages(std::string_view node) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT url, etag, last_modified, next, items, reader FROM amis_harvest_pages WHERE node = ?");
  s->bind(1, node);
  std::vector<federation::HarvestedPage> out;
  while (s->step())
    out.push_back({std::string(s->column_text(0)), std::string(s->column_text(1)), std::string(s->column_text(2)),
                   std::string(s->column_text(3)), page_items_from_json(s->column_text(4)),
                   static_cast<int>(s->column_int(5))});
  return out;
}

void GpkgNodes::save_harvested_pages(std::string_view node, const std::vector<federation::HarvestedPage>& pages) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  {
    auto s = db_->cached("DELETE FROM amis_harvest_pages WHERE node = ?");
    s->bind(1, node);
    s->run();
  }
  auto s = db_->cached(
      "INSERT OR REPLACE INTO amis_harvest_pages (node, url, etag, last_modified, next, items, reader) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const auto& p : pages) {
    s->bind(1, node);
    s->bind(2, std::string_view(p.url));
    s->bind(3, std::string_view(p.etag));
    s->bind(4, std::string_view(p.last_modified));
    s->bind(5, std::string_view(p.next));
    s->bind(6, page_items_json(p.items));
    s->bind(7, static_cast<std::int64_t>(p.reader));
    s->run();
    s->reset();
  }
  tx.commit();
}

std::int64_t GpkgNodes::add_run(const federation::HarvestRun& run) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "INSERT INTO amis_harvest_runs (node, started, finished, status, seen, added, updated, unchanged, withdrawn, "
      "failed, failures, error, seconds, work_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(run.node));
  s->bind(2, std::string_view(run.started));
  s->bind(3, std::string_view(run.finished));
  s->bind(4, federation::to_string(run.status));
  s->bind(5, run.seen);
  s->bind(6, run.added);
  s->bind(7, run.updated);
  s->bind(8, run.unchanged);
  s->bind(9, run.withdrawn);
  s->bind(10, run.failed);
  s->bind(11, std::string_view(failures_json(run.failures)));
  s->bind(12, std::string_view(run.error));
  s->bind(13, run.seconds);
  s->bind(14, run.work_seconds);
  s->run();
  return sqlite3_last_insert_rowid(db_->handle());
}

std::vector<federation::HarvestRun> GpkgNodes::runs(std::string_view node, std::int64_t limit) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT id, node, started, finished, status, seen, added, updated, unchanged, withdrawn, failed, failures, error, "
      "seconds, work_seconds FROM amis_harvest_runs WHERE node = ? ORDER BY id DESC LIMIT ?");
  s->bind(1, node);
  s->bind(2, limit);
  std::vector<federation::HarvestRun> out;
  while (s->step()) {
    federation::HarvestRun r;
    r.id = s->column_int(0);
    r.node = s->column_text(1);
    r.started = s->column_text(2);
    r.finished = s->column_text(3);
    r.status = federation::parse_run_status(s->column_text(4));
    r.seen = s->column_int(5);
    r.added = s->column_int(6);
    r.updated = s->column_int(7);
    r.unchanged = s->column_int(8);
    r.withdrawn = s->column_int(9);
    r.failed = s->column_int(10);
    r.failures = failures_from_json(s->column_text(11));
    r.error = s->column_text(12);
    r.seconds = s->column_double(13);
    r.work_seconds = s->column_double(14);
    out.push_back(std::move(r));
  }
  return out;
}

void GpkgNodes::save_sync_report(const federation::SyncReport& r) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "INSERT OR REPLACE INTO amis_node_sync (node, started, finished, status, applied, already, sequence, "
      "stopped_at, reason, seconds, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(r.node));
  s->bind(2, std::string_view(r.started));
  s->bind(3, std::string_view(r.finished));
  s->bind(4, federation::to_string(r.status));
  s->bind(5, r.applied);
  s->bind(6, r.already);
  s->bind(7, r.sequence);
  s->bind(8, r.stopped_at);
  s->bind(9, std::string_view(r.reason));
  s->bind(10, r.seconds);
  s->bind(11, std::string_view(r.skipped));
  s->run();
}

std::optional<federation::SyncReport> GpkgNodes::sync_report(std::string_view node) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT node, started, finished, status, applied, already, sequence, stopped_at, reason, seconds, skipped "
      "FROM amis_node_sync WHERE node = ?");
  s->bind(1, node);
  if (!s->step()) return std::nullopt;
  federation::SyncReport r;
  r.node = s->column_text(0);
  r.started = s->column_text(1);
  r.finished = s->column_text(2);
  r.status = federation::parse_sync_status(s->column_text(3));
  r.applied = s->column_int(4);
  r.already = s->column_int(5);
  r.sequence = s->column_int(6);
  r.stopped_at = s->column_int(7);
  r.reason = s->column_text(8);
  r.seconds = s->column_double(9);
  r.skipped = s->column_text(10);
  return r;
}

}  // namespace amis::store::gpkg
