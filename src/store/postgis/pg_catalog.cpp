#include "store/postgis/pg_catalog.hpp"

#include "core/error.hpp"
#include "store/catalog_conditions.hpp"
#include "store/catalog_row.hpp"
#include "store/postgis/pg_catalog_sql.hpp"
#include "store/postgis/pg_query.hpp"
#include "store/postgis/pg_record_writer.hpp"

namespace amis::store::postgis {
namespace {

// Serialises replace_derived between amis nodes (any constant will do).
constexpr const char* kDerivedLock = "SELECT pg_advisory_xact_lock(4242015)";

std::vector<catalog::FacetBucket> count_facet(Connection& connection, const PgCatalogSql& matches,
                                              catalog::FacetField field, std::int64_t buckets) {
  std::vector<Binding> b{std::string(catalog::to_string(field))};
  b.insert(b.end(), matches.bindings.begin(), matches.bindings.end());
  b.emplace_back(buckets);
  Params params;
  const std::string sql = numbered(
      "SELECT value, count(*) AS n FROM amis_record_terms WHERE field = ? AND id IN (SELECT amis_records.id" +
          matches.from + ") GROUP BY value ORDER BY n DESC, value LIMIT ?",
      b, params);
  const Result r = connection.exec(sql, params);
  std::vector<catalog::FacetBucket> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 0)), r.integer(i, 1)});
  return out;
}

// Streams the rows of `sql` (one text column: the record's document) into the sink.
std::int64_t stream_records(Connection& connection, const std::string& sql, const Params& params, RecordSink& sink) {
  std::int64_t returned = 0;
  connection.send_streaming(sql, params);
  try {
    while (auto row = connection.next_row()) {
      sink.record(record_from_document(row->text(0, 0)));
      ++returned;
    }
  } catch (...) {
    connection.abandon_streaming();  // the sink stopped: the connection stays usable
    throw;
  }
  return returned;
}

}  // namespace

void PostgisCatalog::put(const catalog::Record& record) {
  auto w = writer();
  w->put(record);
  w->commit();
}

bool PostgisCatalog::remove(std::string_view id) {
  auto connection = pool_.acquire();
  return connection->exec("DELETE FROM amis_records WHERE id = $1", Params().text(id)).affected() > 0;
}

std::optional<catalog::Record> PostgisCatalog::record(std::string_view id) {
  auto connection = pool_.acquire();
  const Result r = connection->exec("SELECT document::text FROM amis_records WHERE id = $1", Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  return record_from_document(r.text(0, 0));
}

std::unique_ptr<RecordWriter> PostgisCatalog::writer() { return std::make_unique<PgRecordWriter>(pool_.acquire()); }

std::int64_t PostgisCatalog::sources_version() {
  auto connection = pool_.acquire();
  const Result r = connection->exec("SELECT sources_version FROM amis_catalog_state");
  return r.rows() ? r.integer(0, 0) : 0;
}

std::int64_t PostgisCatalog::derived_version() {
  auto connection = pool_.acquire();
  const Result r = connection->exec("SELECT derived_version FROM amis_catalog_state");
  return r.rows() ? r.integer(0, 0) : 0;
}

std::int64_t PostgisCatalog::replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) {
  PgRecordWriter w(pool_.acquire());
  w.connection().exec(kDerivedLock);
  std::vector<catalog::Record> old;
  {
    const Result r = w.connection().exec("SELECT document::text FROM amis_records WHERE origin = 'derived'");
    for (int i = 0; i < r.rows(); ++i) old.push_back(record_from_document(r.text(i, 0)));
  }
  const DerivedChanges changes = derived_changes(std::move(old), records);
  for (const auto& r : changes.writes) w.put(r);
  for (const auto& id : changes.removals) w.remove(id);
  w.connection().exec("UPDATE amis_catalog_state SET derived_version = $1", Params().integer(sources_version));
  w.commit();
  return static_cast<std::int64_t>(changes.writes.size() + changes.removals.size());
}

SearchSummary PostgisCatalog::search(const catalog::CatalogQuery& query, RecordSink& sink) {
  check_paging(query);
  const PgCatalogSql matches = catalog_matches(query);
  std::vector<Binding> b = matches.bindings;
  std::string sql = "SELECT amis_records.document::text" + matches.from + catalog_order(query, matches.ranked);
  if (query.limit) {
    sql += " LIMIT ?";
    b.emplace_back(*query.limit);
  }
  if (query.offset > 0) {
    sql += " OFFSET ?";
    b.emplace_back(query.offset);
  }
  Params params;
  const std::string text = numbered(sql, b, params);

  auto connection = pool_.acquire();
  SearchSummary summary;
  summary.returned = stream_records(*connection, text, params, sink);
  if (query.count) {
    const bool whole = query.offset == 0 && (!query.limit || summary.returned < *query.limit);
    if (whole) {
      summary.matched = summary.returned;
    } else {
      Params count_params;
      const std::string count = numbered("SELECT count(*)" + matches.from, matches.bindings, count_params);
      summary.matched = connection->exec(count, count_params).integer(0, 0);
    }
  }
  for (auto field : query.facets)
    summary.facets.push_back({field, count_facet(*connection, matches, field, query.facet_buckets)});
  return summary;
}

std::int64_t PostgisCatalog::size() {
  auto connection = pool_.acquire();
  return connection->exec("SELECT count(*) FROM amis_records").integer(0, 0);
}

}  // namespace amis::store::postgis
