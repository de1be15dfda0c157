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
  explicit GpkgRecordWriter(sqlite::ConnectionPool& pool)
      : pool_(pool), db_(pool.take()), tx_(std::make_unique<sqlite::Transaction>(*db_)) {}
  ~GpkgRecordWriter() override {
    tx_.reset();  // rolls back unless committed, before the connection is reused
    pool_.give_back(std::move(db_));
  }
  void put(const catalog::Record& record) override { write_record(*db_, record); }
  bool remove(std::string_view id) override { return delete_record(*db_, id); }
  void commit() override { tx_->commit(); }

 private:
  sqlite::ConnectionPool& pool_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<sqlite::Transaction> tx_;
};

// The values of one facet over the matching records: from each match to its terms
// through the (fid, field) index, so the cost follows the matches, not the catalogue.
std::vector<catalog::FacetBucket> count_facet(sqlite::Database& db, const CatalogSql& matches,
                                              catalog::FacetField field, std::int64_t buckets) {
  const std::string sql = "SELECT t.value, count(*) AS n FROM (SELECT fid AS match_fid" + matches.from +
                          ") JOIN amis_record_terms t ON t.fid = match_fid AND t.field = ? "
                          "GROUP BY t.value ORDER BY n DESC, t.value LIMIT ?";
  auto s = db.cached(sql);
  const int next = bind_all(*s, matches.bindings);
  s->bind(next, catalog::to_string(field));
  s->bind(next + 1, buckets);
  std::vector<catalog::FacetBucket> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), s->column_int(1)});
  return out;
}

}  // namespace

GpkgCatalog::GpkgCatalog(std::string path) : path_(std::move(path)), pool_([this] { return open_database(path_); }) {
  auto db = open_database(path_);
  initialise_geopackage(*db);  // the tables whose changes the catalogue follows
  create_catalog_tables(*db);
  pool_.give_back(std::move(db));
}

void GpkgCatalog::put(const catalog::Record& record) {
  auto db = pool_.lease();
  sqlite::Transaction tx(*db);
  write_record(*db, record);
  tx.commit();
}

bool GpkgCatalog::remove(std::string_view id) {
  auto db = pool_.lease();
  sqlite::Transaction tx(*db);
  const bool removed = delete_record(*db, id);
  tx.commit();
  return removed;
}

std::optional<catalog::Record> GpkgCatalog::record(std::string_view id) {
  auto db = pool_.lease();
  return read_record(*db, id);
}

std::unique_ptr<RecordWriter> GpkgCatalog::writer() { return std::make_unique<GpkgRecordWriter>(pool_); }

std::int64_t GpkgCatalog::sources_version() {
  auto db = pool_.lease();
  auto s = db->cached("SELECT sources_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

std::int64_t GpkgCatalog::derived_version() {
  auto db = pool_.lease();
  auto s = db->cached("SELECT derived_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

std::int64_t GpkgCatalog::replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) {
  auto db = pool_.lease();
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
  auto db = pool_.lease();
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
  auto db = pool_.lease();
  auto s = db->cached("SELECT count(*) FROM amis_records");
  s->step();
  return s->column_int(0);
}

}  // namespace amis::store::gpkg
