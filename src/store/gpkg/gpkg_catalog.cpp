#include "store/gpkg/gpkg_catalog.hpp"

#include <nlohmann/json.hpp>

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "store/catalog_conditions.hpp"
#include "store/catalog_row.hpp"
#include "store/gpkg/catalog_rows.hpp"
#include "store/gpkg/catalog_sql.hpp"
#include "store/gpkg/filter_functions.hpp"
#include "store/gpkg/gpkg_schema.hpp"
#include "store/gpkg/sql_functions.hpp"

namespace amis::store::gpkg {

class GpkgCatalog::Connection {
 public:
  Connection(GpkgCatalog& owner, std::unique_ptr<sqlite::Database> db) : owner_(owner), db_(std::move(db)) {}
  ~Connection() {
    std::lock_guard lock(owner_.mutex_);
    owner_.idle_.push_back(std::move(db_));
  }
  Connection(Connection&&) = delete;
  sqlite::Database* operator->() { return db_.get(); }
  sqlite::Database& operator*() { return *db_; }

 private:
  GpkgCatalog& owner_;
  std::unique_ptr<sqlite::Database> db_;
};

namespace {

std::unique_ptr<sqlite::Database> open_database(const std::string& path) {
  auto db = std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite);
  register_sql_functions(db->handle());
  register_filter_functions(db->handle());
  db->exec("PRAGMA case_sensitive_like = ON");
  return db;
}

class GpkgRecordWriter final : public RecordWriter {
 public:
  explicit GpkgRecordWriter(std::unique_ptr<GpkgCatalog::Connection> connection)
      : connection_(std::move(connection)), tx_(**connection_) {}
  void put(const catalog::Record& record) override { write_record(**connection_, record); }
  bool remove(std::string_view id) override { return delete_record(**connection_, id); }
  void commit() override { tx_.commit(); }

 private:
  std::unique_ptr<GpkgCatalog::Connection> connection_;
  sqlite::Transaction tx_;
};

std::vector<catalog::FacetBucket> count_facet(sqlite::Database& db, const CatalogSql& matches,
                                              catalog::FacetField field, std::int64_t buckets) {
  const std::string sql = "SELECT value, count(*) AS n FROM amis_record_terms WHERE field = ? AND fid IN (SELECT fid" +
                          matches.from + ") GROUP BY value ORDER BY n DESC, value LIMIT ?";
  auto s = db.cached(sql);
  s->bind(1, catalog::to_string(field));
  const int next = bind_all(*s, matches.bindings, 2);
  s->bind(next, buckets);
  std::vector<catalog::FacetBucket> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), s->column_int(1)});
  return out;
}

}  // namespace

GpkgCatalog::GpkgCatalog(std::string path) : path_(std::move(path)) {
  auto db = open_database(path_);
  initialise_geopackage(*db);  // the tables whose changes the catalogue follows
  create_catalog_tables(*db);
  idle_.push_back(std::move(db));
}

GpkgCatalog::Connection GpkgCatalog::connect() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Connection(*this, std::move(db));
    }
  }
  return Connection(*this, open_database(path_));
}

void GpkgCatalog::put(const catalog::Record& record) {
  auto db = connect();
  sqlite::Transaction tx(*db);
  write_record(*db, record);
  tx.commit();
}

bool GpkgCatalog::remove(std::string_view id) {
  auto db = connect();
  sqlite::Transaction tx(*db);
  const bool removed = delete_record(*db, id);
  tx.commit();
  return removed;
}

std::optional<catalog::Record> GpkgCatalog::record(std::string_view id) {
  auto db = connect();
  return read_record(*db, id);
}

std::unique_ptr<RecordWriter> GpkgCatalog::writer() {
  std::unique_ptr<sqlite::Database> db;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!db) db = open_database(path_);
  return std::make_unique<GpkgRecordWriter>(std::make_unique<Connection>(*this, std::move(db)));
}

std::int64_t GpkgCatalog::sources_version() {
  auto db = connect();
  auto s = db->cached("SELECT sources_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

std::int64_t GpkgCatalog::derived_version() {
  auto db = connect();
  auto s = db->cached("SELECT derived_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

std::int64_t GpkgCatalog::replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) {
  auto db = connect();
  sqlite::Transaction tx(*db);
  std::vector<catalog::Record> old;
  {
    auto s = db->cached("SELECT document FROM amis_records WHERE origin = 'derived'");
    while (s->step()) old.push_back(record_from_document(s->column_text(0)));
  }
  const DerivedChanges changes = derived_changes(std::move(old), records);
  for (const auto& r : changes.writes) write_record(*db, r);
  for (const auto& id : changes.removals) delete_record(*db, id);
  auto version = db->cached("UPDATE amis_catalog_state SET derived_version = ?");
  version->bind(1, sources_version);
  version->run();
  tx.commit();
  return static_cast<std::int64_t>(changes.writes.size() + changes.removals.size());
}

SearchSummary GpkgCatalog::search(const catalog::CatalogQuery& query, RecordSink& sink) {
  check_paging(query);
  const CatalogSql matches = catalog_matches(query);
  const std::string order = catalog_order(query, matches.ranked);
  auto db = connect();
  SearchSummary summary;
  {
    auto s = db->cached("SELECT document" + matches.from + order + " LIMIT ? OFFSET ?");
    const int next = bind_all(*s, matches.bindings);
    s->bind(next, query.limit.value_or(-1));
    s->bind(next + 1, query.offset);
    while (s->step()) {
      sink.record(record_from_document(s->column_text(0)));
      ++summary.returned;
    }
  }
  if (query.count) {
    const bool whole = query.offset == 0 && (!query.limit || summary.returned < *query.limit);
    if (whole) {
      summary.matched = summary.returned;
    } else {
      auto c = db->cached("SELECT count(*)" + matches.from);
      bind_all(*c, matches.bindings);
      c->step();
      summary.matched = c->column_int(0);
    }
  }
  for (auto field : query.facets) summary.facets.push_back({field, count_facet(*db, matches, field, query.facet_buckets)});
  return summary;
}

std::int64_t GpkgCatalog::size() {
  auto db = connect();
  auto s = db->cached("SELECT count(*) FROM amis_records");
  s->step();
  return s->column_int(0);
}

}  // namespace amis::store::gpkg
