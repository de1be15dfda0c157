#include "store/postgis/pg_usage.hpp"

#include "store/usage_sql.hpp"

namespace amis::store::postgis {
namespace {

// Text in the "C" collation sorts as SQLite does, so both stores order reports alike.
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_usage_visitors (
  day text COLLATE "C" NOT NULL, collection text COLLATE "C" NOT NULL, visitors bigint NOT NULL,
  PRIMARY KEY (day, collection));
CREATE TABLE IF NOT EXISTS amis_usage_events (
  time_ms bigint NOT NULL, day text NOT NULL, collection text NOT NULL, service text NOT NULL,
  operation text NOT NULL, format text NOT NULL, status_class text NOT NULL, client_class text NOT NULL,
  country text NOT NULL, bytes bigint NOT NULL, latency_ms double precision NOT NULL,
  features bigint NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS amis_usage_events_time ON amis_usage_events (time_ms);
-- A database made before features were counted gains the column (0 for its earlier rows).
ALTER TABLE amis_usage_hourly ADD COLUMN IF NOT EXISTS features bigint NOT NULL DEFAULT 0;
ALTER TABLE amis_usage_daily ADD COLUMN IF NOT EXISTS features bigint NOT NULL DEFAULT 0;
ALTER TABLE amis_usage_events ADD COLUMN IF NOT EXISTS features bigint NOT NULL DEFAULT 0;
)SQL";

std::string dollar(int n) { return "$" + std::to_string(n); }

Params key_params(const core::UsageKey& k) {
  Params p;
  p.text(k.period).text(k.collection).text(k.service).text(k.operation).text(k.format).text(k.status_class)
      .text(k.client_class).text(k.country);
  return p;
}

void add_counts(Connection& c, const char* table, const std::vector<core::UsageCount>& counts) {
  const auto sql = usage_sql::add_count(table, dollar);
  for (const auto& n : counts) {
    auto p = key_params(n.key);
    p.integer(n.totals.requests).integer(n.totals.bytes).real(n.totals.latency_ms).integer(n.totals.features);
    c.exec(sql, p);
  }
}

}  // namespace

const std::string& PgUsage::schema() {
  static const std::string ddl = usage_sql::count_tables_ddl("text COLLATE \"C\"", "bigint", "double precision") + kSchema;
  return ddl;
}

void PgUsage::add_usage(const core::UsageBatch& batch) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  add_counts(*c, usage_sql::kHourly, batch.hourly);
  add_counts(*c, usage_sql::kDaily, batch.daily);
  for (const auto& v : batch.visitors)
    c->exec("INSERT INTO amis_usage_visitors (day, collection, visitors) VALUES ($1, $2, $3) "
            "ON CONFLICT (day, collection) DO UPDATE SET visitors = amis_usage_visitors.visitors + excluded.visitors",
            Params().text(v.day).text(v.collection).integer(v.visitors));
  for (const auto& e : batch.events) {
    Params p;
    p.integer(e.time_ms).text(e.key.period).text(e.key.collection).text(e.key.service).text(e.key.operation)
        .text(e.key.format).text(e.key.status_class).text(e.key.client_class).text(e.key.country)
        .integer(e.bytes).real(e.latency_ms).integer(e.features);
    c->exec("INSERT INTO amis_usage_events (time_ms, day, collection, service, operation, format, status_class, "
            "client_class, country, bytes, latency_ms, features) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            p);
  }
  tx.commit();
}

std::int64_t PgUsage::forget_usage_events(std::int64_t before_ms) {
  auto c = pool_.acquire();
  return c->exec("DELETE FROM amis_usage_events WHERE time_ms < $1", Params().integer(before_ms)).affected();
}

std::vector<core::UsageReportRow> PgUsage::usage_report(const core::UsageQuery& query) {
  std::vector<std::string> values;
  const auto sql = usage_sql::report(query, dollar, values);
  Params p;
  for (const auto& v : values) p.text(v);
  auto c = pool_.acquire();
  const auto r = c->exec(sql, p);
  std::vector<core::UsageReportRow> rows;
  const int n = static_cast<int>(query.group_by.size());
  for (int i = 0; i < r.rows(); ++i) {
    if (r.is_null(i, n)) continue;  // a sum over no rows
    core::UsageReportRow row;
    for (int j = 0; j < n; ++j) row.values.emplace_back(r.text(i, j));
    row.totals = {r.integer(i, n), r.integer(i, n + 1), r.real(i, n + 2), r.integer(i, n + 3)};
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<core::VisitorCount> PgUsage::visitors(const std::string& from, const std::string& to) {
  auto c = pool_.acquire();
  const auto r = c->exec(usage_sql::visitors(dollar), Params().text(from).text(to));
  std::vector<core::VisitorCount> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 0)), std::string(r.text(i, 1)), r.integer(i, 2)});
  return out;
}

std::int64_t PgUsage::usage_event_count() {
  auto c = pool_.acquire();
  return c->exec("SELECT count(*) FROM amis_usage_events").integer(0, 0);
}

}  // namespace amis::store::postgis
