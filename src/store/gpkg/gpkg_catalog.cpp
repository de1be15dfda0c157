#include "store/gpkg/gpkg_catalog.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include <nlohmann/json.hpp>
#include <unistd.h>

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

// The page cache of a writer's connection, in KiB: what a writer changes stays dirty
// until commit, and with SQLite's default 2 MB an import of many records spilled pages
// and read them back. A server's writer gets 128 MiB.
constexpr std::int64_t kWriterCacheKib = 131072;  // 128 MiB

// A bulk writer (`amis catalog import`, one transaction) gets an eighth of the machine's
// memory, from 128 MiB to 2 GiB. Its spilled pages go to the WAL, and each page read back
// then looks the WAL up (SQLite's sqlite3WalFindFrame, a cost that grows with the WAL: 17% of
// the writer's time late in an import of 1,000,000 records with 512 MiB). 1,000,000 ISO
// documents on 2 cores and 23 GB: 384 and 387 s with 512 MiB, 335 and 372 s with 2 GiB.
std::int64_t bulk_writer_cache_kib() {
  constexpr std::int64_t kLeast = 131072, kMost = 2097152;  // KiB
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return kLeast;
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(pages) * page_size / 1024 / 8, kLeast, kMost);
}

class GpkgRecordWriter final : public RecordWriter {
 public:
  GpkgRecordWriter(sqlite::ConnectionPool& pool, std::int64_t cache_kib) : pool_(pool), db_(pool.take()) {
    // Bounded, and only while the writer holds the connection; the pool's own size again after.
    auto size = db_->cached("PRAGMA cache_size");
    if (size->step()) pooled_cache_ = size->column_int(0);
    size->reset();  // no statement left running in the writer's transaction
    db_->exec("PRAGMA cache_size = -" + std::to_string(cache_kib));
    tx_ = std::make_unique<sqlite::Transaction>(*db_);
  }
  ~GpkgRecordWriter() override {
    tx_.reset();  // rolls back unless committed, before the connection is reused
    try {
      db_->exec("PRAGMA cache_size = " + std::to_string(pooled_cache_));
    } catch (const std::exception&) {  // the connection stays usable with the larger cache
    }
    pool_.give_back(std::move(db_));
  }
  void put(const catalog::Record& record) override { write_record(*db_, record, &batch_); }
  void put(const PreparedRecord& record) override { write_record(*db_, record, &batch_); }
  bool remove(std::string_view id) override { return delete_record(*db_, id, &batch_); }
  void commit() override {
    finish_batch(*db_, batch_);
    tx_->commit();
  }

 private:
  sqlite::ConnectionPool& pool_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<sqlite::Transaction> tx_;
  CatalogBatch batch_;
  std::int64_t pooled_cache_ = -2000;  // SQLite's default, unless the connection said otherwise
};

// The facets over the matching records, counted together: from each match to its
// terms through the (fid, field) index, so the cost follows the matches, not the
// catalogue.
std::vector<catalog::Facet> count_facets(sqlite::Database& db, const CatalogSql& matches,
                                         const catalog::CatalogQuery& query) {
  std::string fields;
  for (std::size_t i = 0; i < query.facets.size(); ++i) fields += i ? ", ?" : "?";
  const std::string sql = "SELECT t.field, t.value, count(*) FROM (SELECT fid AS match_fid" + matches.from +
                          ") JOIN amis_record_terms t ON t.fid = match_fid AND t.field IN (" + fields +
                          ") GROUP BY t.field, t.value";
  auto s = db.cached(sql);
  int next = bind_all(*s, matches.bindings);
  for (auto field : query.facets) s->bind(next++, catalog::to_string(field));
  std::vector<FacetRow> rows;
  while (s->step())
    rows.push_back({*catalog::parse_facet_field(s->column_text(0)), std::string(s->column_text(1)), s->column_int(2)});
  return facets_of(std::move(rows), query.facets, query.facet_buckets);
}

// One facet over every record: the terms index read in (field, value) order.
std::vector<catalog::FacetBucket> count_whole_facet(sqlite::Database& db, catalog::FacetField field,
                                                    std::int64_t buckets) {
  auto s = db.cached(
      "SELECT value, count(*) AS n FROM amis_record_terms WHERE field = ? GROUP BY value ORDER BY n DESC, value LIMIT ?");
  s->bind(1, catalog::to_string(field));
  s->bind(2, buckets);
  std::vector<catalog::FacetBucket> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), s->column_int(1)});
  return out;
}

std::int64_t stored_records_version(sqlite::Database& db) {
  auto s = db.cached("SELECT records_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

// The index words that contain each AnyText part of the query.
AnyTextWords any_text_words(sqlite::Database& db, const catalog::CatalogQuery& query) {
  AnyTextWords out;
  for (const auto& part : any_text_parts(query)) {
    auto s = db.cached("SELECT word FROM amis_record_words WHERE word LIKE ? LIMIT ?");
    s->bind(1, "%" + part + "%");  // a part is ASCII letters and digits: no LIKE character
    s->bind(2, kMaxWordsPerPart + 1);
    std::vector<std::string> words;
    while (s->step()) words.emplace_back(s->column_text(0));
    if (static_cast<std::int64_t>(words.size()) <= kMaxWordsPerPart) out.parts.push_back(std::move(words));
  }
  return out;
}

// 'keyword', 'country', … : the terms table's facet fields, as SQL literals.
std::string facet_field_list() {
  std::string out;
  for (auto field : catalog::kFacetFields) out += (out.empty() ? "'" : ", '") + std::string(catalog::to_string(field)) + "'";
  return out;
}

// Every facet term and the records version, read in one transaction.
std::int64_t scan_facet_terms(sqlite::Database& db, FacetIndex::Builder& builder) {
  sqlite::Transaction snapshot(db, sqlite::Transaction::Kind::Deferred);
  const std::int64_t version = stored_records_version(db);
  auto s = db.cached("SELECT fid, field, value FROM amis_record_terms INDEXED BY amis_record_terms_fid WHERE field IN (" +
                     facet_field_list() + ") ORDER BY fid");
  while (s->step())
    if (!builder.add(s->column_int(0), *catalog::parse_facet_field(s->column_text(1)), s->column_text(2))) break;
  s->reset();
  snapshot.commit();
  return version;
}

std::optional<std::string_view> optional_text(const sqlite::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.column_text(column);
}

// Every record's extent and temporal extent and the records version, read in one transaction.
std::int64_t scan_record_extents(sqlite::Database& db, RecordExtents::Builder& builder) {
  sqlite::Transaction snapshot(db, sqlite::Transaction::Kind::Deferred);
  const std::int64_t version = stored_records_version(db);
  auto s = db.cached("SELECT fid, min_x, min_y, max_x, max_y, time_start, time_end FROM " + std::string(kRecordTable));
  while (s->step()) {
    std::optional<core::Envelope> extent;
    if (!s->is_null(1) && !s->is_null(2) && !s->is_null(3) && !s->is_null(4))
      extent = core::Envelope{s->column_double(1), s->column_double(2), s->column_double(3), s->column_double(4)};
    if (!builder.add(s->column_int(0), extent, optional_text(*s, 5), optional_text(*s, 6))) break;
  }
  s->reset();
  snapshot.commit();
  return version;
}

// Whether the lists in memory can answer the search: full text (q), a bbox and a
// datetime, or none of them, a page in the default order (by rank, else by id).
bool answered_in_memory(const catalog::CatalogQuery& q) {
  return q.any_text.empty() && q.types.empty() && q.ids.empty() && q.external_ids.empty() && !q.filter &&
         q.sortby.empty() && q.limit.has_value();
}

// Every match of an FTS5 query in rank order (best first, then by id), as the SQL search
// orders them, or every record by id for "", with the records version, in one snapshot;
// no list when a record number does not fit one.
std::pair<std::int64_t, std::shared_ptr<const RankedMatchesCache::Ranked>> read_ranked(sqlite::Database& db,
                                                                                      const std::string& match) {
  sqlite::Transaction snapshot(db, sqlite::Transaction::Kind::Deferred);
  const std::int64_t version = stored_records_version(db);
  auto s = db.cached(ranked_fids_sql(!match.empty()));
  if (!match.empty()) s->bind(1, std::string_view(match));
  auto ranked = std::make_shared<RankedMatchesCache::Ranked>();
  while (s->step()) {
    const std::int64_t fid = s->column_int(0);
    if (fid < 0 || fid > std::numeric_limits<std::uint32_t>::max()) {
      ranked.reset();
      break;
    }
    ranked->push_back(static_cast<std::uint32_t>(fid));
  }
  s->reset();
  snapshot.commit();
  return {version, std::move(ranked)};
}

}  // namespace

GpkgCatalog::GpkgCatalog(std::string path)
    : path_(std::move(path)),
      pool_([this] { return open_database(path_); }),
      facet_index_([this](FacetIndex::Builder& builder) {
        auto db = pool_.lease();
        return scan_facet_terms(*db, builder);
      }),
      extents_([this](RecordExtents::Builder& builder) {
        auto db = pool_.lease();
        return scan_record_extents(*db, builder);
      }),
      ranked_([this](const std::string& match) {
        auto db = pool_.lease();
        return read_ranked(*db, match);
      }) {
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

std::unique_ptr<RecordWriter> GpkgCatalog::writer() {
  return std::make_unique<GpkgRecordWriter>(pool_, kWriterCacheKib);
}

std::unique_ptr<RecordWriter> GpkgCatalog::bulk_writer() {
  return std::make_unique<GpkgRecordWriter>(pool_, bulk_writer_cache_kib());
}

std::int64_t GpkgCatalog::sources_version() {
  auto db = pool_.lease();
  auto s = db->cached("SELECT sources_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

std::string GpkgCatalog::records_tag() {
  auto db = pool_.lease();
  auto s = db->cached("SELECT records_version, records_token FROM amis_catalog_state");
  return s->step() ? std::to_string(s->column_int(0)) + "." + std::string(s->column_text(1)) : std::string();
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

std::optional<SearchSummary> GpkgCatalog::search_in_memory(sqlite::Database& db, const catalog::CatalogQuery& query,
                                                            RecordSink& sink) {
  const std::string match = fts_match(query.q);  // "": every record, by id
  if (match.empty() && !query.q.empty()) return std::nullopt;  // no word to search for: SQL says none
  sqlite::Transaction snapshot(db, sqlite::Transaction::Kind::Deferred);  // one version throughout
  const std::int64_t version = stored_records_version(db);
  // What is not held yet is read in the background; SQL answers meanwhile.
  const auto ranked = ranked_.find(version, match);
  if (!ranked) ranked_.request(match);
  const auto extents = query.bbox || query.datetime ? extents_.at(version) : nullptr;
  if (!ranked || ((query.bbox || query.datetime) && !extents)) return std::nullopt;
  const auto index = query.facets.empty() ? nullptr : facet_index_.at(version);
  std::optional<FacetIndex::Matches> matched;  // the matches within a bbox or datetime
  if (index && extents) matched.emplace(*index);

  // The page, and every match counted (unless nothing needs them all), in one pass.
  const std::int64_t first = query.offset;
  const std::int64_t end = *query.limit > std::numeric_limits<std::int64_t>::max() - first
                               ? std::numeric_limits<std::int64_t>::max()
                               : first + *query.limit;
  const bool every_match = query.count || !query.facets.empty();
  std::vector<std::uint32_t> page;
  std::int64_t n = 0;
  if (!extents && !matched) {
    n = static_cast<std::int64_t>(ranked->size());
    for (std::int64_t i = first; i < std::min(end, n); ++i) page.push_back((*ranked)[static_cast<std::size_t>(i)]);
  } else {
    const auto window = extents ? extents->window(query.bbox, query.datetime) : RecordExtents::Window{};
    // Many matches against the window's bitmap (one pass over the extents in record
    // order), a few against the extents themselves.
    std::vector<std::uint64_t> bits;
    if (extents && ranked->size() * 16 >= extents->records()) bits = extents->bitmap(window);
    const auto meets = [&](std::uint32_t fid) {
      if (!extents) return true;
      if (bits.empty()) return extents->meets(fid, window);
      return (fid >> 6) < bits.size() && ((bits[fid >> 6] >> (fid & 63)) & 1u) != 0;
    };
    for (const std::uint32_t fid : *ranked) {
      if (!meets(fid)) continue;
      if (n >= first && n < end) page.push_back(fid);
      ++n;
      if (matched) matched->add(fid);
      if (!every_match && n >= end) break;
    }
  }

  SearchSummary summary;
  auto document = db.cached("SELECT document FROM " + std::string(kRecordTable) + " WHERE fid = ?");
  for (const std::uint32_t fid : page) {
    document->reset();
    document->bind(1, static_cast<std::int64_t>(fid));
    if (!document->step()) throw core::ServerError("a ranked record is missing from its own snapshot");
    sink.record(record_from_document(document->column_text(0)));
    ++summary.returned;
  }
  document->reset();
  complete_summary(query, summary, whole_,
                   {[&] { return version; }, [&] { return n; },
                    [&] {
                      if (matched)
                        return facets_of(matched->facet_rows(query.facets), query.facets, query.facet_buckets);
                      if (index) return facets_of(*list_facets(version, match, *index, *ranked), query.facets,
                                                  query.facet_buckets);
                      return count_facets(db, catalog_matches(query, {}), query);
                    },
                    [&](catalog::FacetField field) { return count_whole_facet(db, field, query.facet_buckets); }});
  snapshot.commit();
  return summary;
}

std::shared_ptr<const std::vector<FacetRow>> GpkgCatalog::list_facets(std::int64_t version, const std::string& match,
                                                                       const FacetIndex& index,
                                                                       const RankedMatchesCache::Ranked& ranked) {
  if (auto held = list_facets_.find(version, match)) return held;
  FacetIndex::Matches matches(index);
  for (const std::uint32_t fid : ranked) matches.add(fid);
  auto rows = std::make_shared<const std::vector<FacetRow>>(
      matches.facet_rows(std::vector<catalog::FacetField>(std::begin(catalog::kFacetFields), std::end(catalog::kFacetFields))));
  list_facets_.keep(version, match, rows);
  return rows;
}

SearchSummary GpkgCatalog::search(const catalog::CatalogQuery& query, RecordSink& sink) {
  check_paging(query);
  auto db = pool_.lease();
  // Full text, bbox and datetime in the default order, from the lists in memory.
  // Every record by id only for a deep page: the first pages of the whole catalogue are
  // quick in SQL, and its list is not read again after each write to the catalogue.
  constexpr std::int64_t kDeepPage = 1000;
  if (answered_in_memory(query) && (!unconstrained(query) || query.offset >= kDeepPage))
    if (auto summary = search_in_memory(*db, query, sink)) return *summary;
  const CatalogSql matches = catalog_matches(query, any_text_words(*db, query));
  const std::string order = catalog_order(query, matches.ranked);
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
  // The matches' facets from the terms in memory (facet_index.hpp), their count from
  // the same pass; before the index is built, in SQL.
  const auto index = query.facets.empty() || unconstrained(query) ? nullptr : facet_index_.at(stored_records_version(*db));
  // The matches' fids: on the full-text table alone when q is the only condition.
  const std::string fids = matches.full_text_only.empty()
                               ? "SELECT fid" + matches.from
                               : "SELECT rowid FROM amis_records_fts WHERE amis_records_fts MATCH ?";
  const auto bind_fids = [&](sqlite::Statement& s) {
    if (matches.full_text_only.empty()) bind_all(s, matches.bindings);
    else s.bind(1, std::string_view(matches.full_text_only));
  };
  std::optional<FacetIndex::Matches> matched;
  const auto each_match = [&]() -> const FacetIndex::Matches& {
    if (!matched) {
      matched.emplace(*index);
      auto s = db->cached(fids);
      bind_fids(*s);
      while (s->step()) matched->add(s->column_int(0));
    }
    return *matched;
  };
  complete_summary(query, summary, whole_,
                   {[&] { return stored_records_version(*db); },
                    [&] {
                      if (index) return each_match().count();
                      auto c = db->cached("SELECT count(*) FROM (" + fids + ")");
                      bind_fids(*c);
                      c->step();
                      return c->column_int(0);
                    },
                    [&] {
                      if (index)
                        return facets_of(each_match().facet_rows(query.facets), query.facets, query.facet_buckets);
                      return count_facets(*db, matches, query);
                    },
                    [&](catalog::FacetField field) { return count_whole_facet(*db, field, query.facet_buckets); }});
  return summary;
}

std::int64_t GpkgCatalog::size() {
  auto db = pool_.lease();
  auto s = db->cached("SELECT count(*) FROM amis_records");
  s->step();
  return s->column_int(0);
}

}  // namespace amis::store::gpkg
