#include "store/gpkg/gpkg_usage.hpp"

#include "store/usage_sql.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_usage_visitors (
  day TEXT NOT NULL, collection TEXT NOT NULL, visitors INTEGER NOT NULL, PRIMARY KEY (day, collection));
CREATE TABLE IF NOT EXISTS amis_usage_events (
  time_ms INTEGER NOT NULL, day TEXT NOT NULL, collection TEXT NOT NULL, service TEXT NOT NULL,
  operation TEXT NOT NULL, format TEXT NOT NULL, status_class TEXT NOT NULL, client_class TEXT NOT NULL,
  country TEXT NOT NULL, bytes INTEGER NOT NULL, latency_ms REAL NOT NULL, features INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS amis_usage_events_time ON amis_usage_events (time_ms);
)SQL";

std::string question(int) { return "?"; }

void bind_key(sqlite::Statement& s, const core::UsageKey& k) {
  const std::string* values[] = {&k.period, &k.collection, &k.service, &k.operation,
                                 &k.format, &k.status_class, &k.client_class, &k.country};
  int i = 1;
  for (const auto* v : values) s.bind(i++, std::string_view(*v));
}

void add_counts(sqlite::Database& db, const char* table, const std::vector<core::UsageCount>& counts) {
  auto s = db.cached(usage_sql::add_count(table, question));
  for (const auto& c : counts) {
    bind_key(*s, c.key);
    s->bind(9, c.totals.requests);
    s->bind(10, c.totals.bytes);
    s->bind(11, c.totals.latency_ms);
    s->bind(12, c.totals.features);
    s->run();
    s->reset();
  }
}

// A store made before features were counted gains the column (0 for its earlier rows).
void add_features_column(sqlite::Database& db) {
  for (const char* table : usage_sql::kUsageTablesWithFeatures) {
    auto s = db.cached("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
    s->bind(1, std::string_view(table));
    s->bind(2, std::string_view(usage_sql::kFeaturesColumn));
    const bool present = s->step();
    s->reset();
    if (!present) db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN features INTEGER NOT NULL DEFAULT 0");
  }
}

}  // namespace

GpkgUsage::GpkgUsage(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  db_->exec(usage_sql::count_tables_ddl("TEXT", "INTEGER", "REAL") + kSchema);
  add_features_column(*db_);
}

void GpkgUsage::add_usage(const core::UsageBatch& batch) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  add_counts(*db_, usage_sql::kHourly, batch.hourly);
  add_counts(*db_, usage_sql::kDaily, batch.daily);
  {
    auto s = db_->cached(
        "INSERT INTO amis_usage_visitors (day, collection, visitors) VALUES (?, ?, ?) ON CONFLICT (day, collection) "
        "DO UPDATE SET visitors = amis_usage_visitors.visitors + excluded.visitors");
    for (const auto& v : batch.visitors) {
      s->bind(1, std::string_view(v.day));
      s->bind(2, std::string_view(v.collection));
      s->bind(3, v.visitors);
      s->run();
      s->reset();
    }
  }
  {
    auto s = db_->cached(
        "INSERT INTO amis_usage_events (time_ms, day, collection, service, operation, format, status_class, "
        "client_class, country, bytes, latency_ms, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& e : batch.events) {
      s->bind(1, e.time_ms);
      const std::string* values[] = {&e.key.period, &e.key.collection, &e.key.service, &e.key.operation,
                                     &e.key.format, &e.key.status_class, &e.key.client_class, &e.key.country};
      int i = 2;
      for (const auto* v : values) s->bind(i++, std::string_view(*v));
      s->bind(10, e.bytes);
      s->bind(11, e.latency_ms);
      s->bind(12, e.features);
      s->run();
      s->reset();
    }
  }
  tx.commit();
}

std::int64_t GpkgUsage::forget_usage_events(std::int64_t before_ms) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("DELETE FROM amis_usage_events WHERE time_ms < ?");
  s->bind(1, before_ms);
  s->run();
  return sqlite3_changes64(db_->handle());
}

std::vector<core::UsageReportRow> GpkgUsage::usage_report(const core::UsageQuery& query) {
  std::vector<std::string> values;
  const auto sql = usage_sql::report(query, question, values);
  std::lock_guard lock(mutex_);
  auto s = db_->cached(sql);
  for (std::size_t i = 0; i < values.size(); ++i) s->bind(static_cast<int>(i + 1), std::string_view(values[i]));
  std::vector<core::UsageReportRow> rows;
  const int n = static_cast<int>(query.group_by.size());
  while (s->step()) {
    if (s->is_null(n)) continue;  // a sum over no rows
    core::UsageReportRow row;
    for (int i = 0; i < n; ++i) row.values.emplace_back(s->column_text(i));
    row.totals = {s->column_int(n), s->column_int(n + 1), s->column_double(n + 2), s->column_int(n + 3)};
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<core::VisitorCount> GpkgUsage::visitors(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(usage_sql::visitors(question));
  s->bind(1, std::string_view(from));
  s->bind(2, std::string_view(to));
  std::vector<core::VisitorCount> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), std::string(s->column_text(1)), s->column_int(2)});
  return out;
}

std::int64_t GpkgUsage::usage_event_count() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT count(*) FROM amis_usage_events");
  return s->step() ? s->column_int(0) : 0;
}

}  // namespace amis::store::gpkg
