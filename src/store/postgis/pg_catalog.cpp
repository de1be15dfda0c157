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

// The facets over the matching records, counted together: from each match to its
// terms through the (id, field) index.
std::vector<catalog::Facet> count_facets(Connection& connection, const PgCatalogSql& matches,
                                         const catalog::CatalogQuery& query) {
  std::vector<Binding> b;
  std::string fields;
  for (auto field : query.facets) {
    fields += fields.empty() ? "?" : ", ?";
    b.emplace_back(std::string(catalog::to_string(field)));
  }
  b.insert(b.end(), matches.bindings.begin(), matches.bindings.end());
  Params params;
  const std::string sql = numbered("SELECT field, value, count(*) FROM amis_record_terms WHERE field IN (" + fields +
                                       ") AND id IN (SELECT amis_records.id" + matches.from + ") GROUP BY field, value",
                                   b, params);
  const Result r = connection.exec(sql, params);
  std::vector<FacetRow> rows;
  for (int i = 0; i < r.rows(); ++i)
    rows.push_back({*catalog::parse_facet_field(r.text(i, 0)), std::string(r.text(i, 1)), r.integer(i, 2)});
  return facets_of(std::move(rows), query.facets, query.facet_buckets);
}

// One facet over every record.
std::vector<catalog::FacetBucket> count_whole_facet(Connection& connection, catalog::FacetField field,
                                                    std::int64_t buckets) {
  const Result r = connection.exec(
      "SELECT value, count(*) AS n FROM amis_record_terms WHERE field = $1 GROUP BY value ORDER BY n DESC, value "
      "LIMIT $2",
      Params().text(catalog::to_string(field)).integer(buckets));
  std::vector<catalog::FacetBucket> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 0)), r.integer(i, 1)});
  return out;
}

std::int64_t stored_records_version(Connection& connection) {
  const Result r = connection.exec("SELECT records_version FROM amis_catalog_state");
  return r.rows() ? r.integer(0, 0) : 0;
}

// The index words that contain each AnyText part of the query.
AnyTextWords any_text_words(Connection& connection, const catalog::CatalogQuery& query) {
  AnyTextWords out;
  for (const auto& part : any_text_parts(query)) {
    // A part is ASCII letters and digits: no LIKE character.
    const Result r = connection.exec("SELECT word FROM amis_record_words WHERE word LIKE $1 LIMIT $2",
                                     Params().text("%" + part + "%").integer(kMaxWordsPerPart + 1));
    if (r.rows() > kMaxWordsPerPart) continue;
    std::vector<std::string> words;
    for (int i = 0; i < r.rows(); ++i) words.emplace_back(r.text(i, 0));
    out.parts.push_back(std::move(words));
  }
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
  auto w = writer();
  const bool removed = w->remove(id);
  w->commit();
  return removed;
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

std::string PostgisCatalog::records_tag() {
  auto connection = pool_.acquire();
  const Result r = connection->exec("SELECT records_version::text || '.' || records_token FROM amis_catalog_state");
  return r.rows() ? std::string(r.text(0, 0)) : std::string();
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
  auto connection = pool_.acquire();
  const PgCatalogSql matches = catalog_matches(query, any_text_words(*connection, query));
  std::vector<Binding> b = matches.bindings;
  // A page deep in the matches reads the ids it passes over, not their documents
  // (the page's order is the inner query's: nothing after it reorders).
  const bool deep = query.offset > 0;
  std::string sql = std::string(deep ? "SELECT amis_records.id" : "SELECT amis_records.document::text") +
                    matches.from + catalog_order(query, matches.ranked);
  if (query.limit) {
    sql += " LIMIT ?";
    b.emplace_back(*query.limit);
  }
  if (deep) {
    sql += " OFFSET ?";
    b.emplace_back(query.offset);
    sql = "SELECT (SELECT d.document::text FROM amis_records d WHERE d.id = page.id) FROM (" + sql + ") AS page";
  }
  Params params;
  const std::string text = numbered(sql, b, params);

  SearchSummary summary;
  summary.returned = stream_records(*connection, text, params, sink);
  complete_summary(query, summary, whole_,
                   {[&] { return stored_records_version(*connection); },
                    [&] {
                      Params count_params;
                      const std::string count = numbered("SELECT count(*)" + matches.from, matches.bindings, count_params);
                      return connection->exec(count, count_params).integer(0, 0);
                    },
                    [&] { return count_facets(*connection, matches, query); },
                    [&](catalog::FacetField field) { return count_whole_facet(*connection, field, query.facet_buckets); }});
  return summary;
}

std::int64_t PostgisCatalog::size() {
  auto connection = pool_.acquire();
  return connection->exec("SELECT count(*) FROM amis_records").integer(0, 0);
}

}  // namespace amis::store::postgis
