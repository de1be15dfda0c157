#include "store/gpkg/catalog_rows.hpp"

#include <nlohmann/json.hpp>

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "store/catalog_row.hpp"
#include "store/full_text_words.hpp"
#include "store/gpkg/gpkg_binary.hpp"
#include "store/gpkg/gpkg_schema.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_records (
  fid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, origin TEXT NOT NULL, type TEXT NOT NULL,
  title TEXT NOT NULL, description TEXT NOT NULL, country TEXT, language TEXT, license TEXT, parent TEXT,
  keywords TEXT NOT NULL, themes TEXT NOT NULL, formats TEXT NOT NULL, externalIds TEXT NOT NULL,
  created TEXT, updated TEXT NOT NULL, published TEXT, featureCount INTEGER,
  time_start TEXT, time_end TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, geom BLOB,
  document TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS amis_records_origin ON amis_records (origin);
CREATE INDEX IF NOT EXISTS amis_records_updated ON amis_records (updated);
CREATE INDEX IF NOT EXISTS amis_records_title ON amis_records (title);
CREATE INDEX IF NOT EXISTS amis_records_time ON amis_records (time_start, time_end);
CREATE TABLE IF NOT EXISTS amis_record_terms (
  field TEXT NOT NULL, value TEXT NOT NULL, fid INTEGER NOT NULL, PRIMARY KEY (field, value, fid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS amis_record_terms_fid ON amis_record_terms (fid, field);
CREATE TABLE IF NOT EXISTS amis_record_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS rtree_amis_records_geom USING rtree(id, minx, maxx, miny, maxy);
CREATE TABLE IF NOT EXISTS amis_catalog_state (
  sources_version INTEGER NOT NULL, derived_version INTEGER NOT NULL, records_version INTEGER NOT NULL DEFAULT 0,
  full_text_version INTEGER NOT NULL DEFAULT 0, records_token TEXT NOT NULL DEFAULT '');
INSERT INTO amis_catalog_state (sources_version, derived_version) SELECT 1, 0
  WHERE NOT EXISTS (SELECT 1 FROM amis_catalog_state);
)SQL";

// Every change to what derived records describe counts up sources_version, in the
// writer's own transaction, whichever process writes.
std::string source_triggers() {
  std::string sql;
  for (const char* table : {"amis_collections", "amis_styles", "amis_rasters"})
    for (const char* event : {"INSERT", "UPDATE", "DELETE"})
      sql += std::string("CREATE TRIGGER IF NOT EXISTS amis_catalog_") + table + "_" + event + " AFTER " + event +
             " ON " + table + " BEGIN UPDATE amis_catalog_state SET sources_version = sources_version + 1; END;\n";
  return sql;
}

void bind_optional(sqlite::Statement& s, int i, const std::optional<std::string>& v) {
  if (v) s.bind(i, std::string_view(*v));
  else s.bind_null(i);
}

void write_terms(sqlite::Database& db, std::int64_t fid, const std::vector<RecordTerm>& terms) {
  auto s = db.cached("INSERT OR IGNORE INTO amis_record_terms (field, value, fid) VALUES (?, ?, ?)");
  for (const auto& t : terms) {
    s->reset();
    s->bind(1, std::string_view(t.field));
    s->bind(2, std::string_view(t.value));
    s->bind(3, fid);
    s->run();
  }
}

// The full-text table over the records' stemmed text (store/full_text_words.hpp),
// as the PostGIS catalogue's tsvector (pg_catalog_schema.hpp), so that both stores
// find the same records: English stems, no stop words, accents removed.
void create_full_text_table(sqlite::Database& db) {
  db.exec(std::string("CREATE VIRTUAL TABLE IF NOT EXISTS amis_records_fts USING fts5(title, keywords, description, "
                      "other, tokenize = '") + kFtsTokenizer + "')");
}

bool has_table(sqlite::Database& db, const char* name) {
  auto s = db.cached("SELECT 1 FROM sqlite_master WHERE name = ?");
  s->bind(1, std::string_view(name));
  return s->step();
}

bool has_column(sqlite::Database& db, const char* table, const char* column) {
  auto s = db.cached("SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  s->bind(1, std::string_view(table));
  s->bind(2, std::string_view(column));
  return s->step();
}

void write_full_text(sqlite::Database& db, std::int64_t fid, const PreparedRecord& record,
                     std::unordered_set<std::string>* known_words = nullptr) {
  auto fts = db.cached("INSERT INTO amis_records_fts (rowid, title, keywords, description, other) VALUES (?, ?, ?, ?, ?)");
  fts->bind(1, fid);
  int column = 2;
  for (const auto* stems : {&record.stem_title, &record.stem_keywords, &record.stem_description, &record.stem_other})
    fts->bind(column++, std::string_view(*stems));
  fts->run();
  // The words AnyText looks substrings up in: those of its fields (catalog/any_text.hpp).
  auto word = db.cached("INSERT OR IGNORE INTO amis_record_words (word) VALUES (?)");
  for (const auto& w : record.words) {
    if (known_words && !known_words->insert(w).second) continue;  // put by an earlier record of the batch
    word->reset();
    word->bind(1, std::string_view(w));
    word->run();
  }
}

// The full text's version: 1 the records' stems (catalog::english_stem); before,
// words unstemmed (0 with the word list, porter's stems without it).
constexpr std::int64_t kFullTextVersion = 1;

std::int64_t full_text_version(sqlite::Database& db) {
  auto s = db.cached("SELECT full_text_version FROM amis_catalog_state");
  return s->step() ? s->column_int(0) : 0;
}

// Every write of the records: the version grows, and the token is one never used
// before, so that (version, token) does not come back in a store restored or copied.
constexpr const char* kCountRecordChange =
    "UPDATE amis_catalog_state SET records_version = records_version + 1, records_token = lower(hex(randomblob(16)))";

// A catalogue of an earlier full text: the full text and the word list again
// from every record's document, in the present tokenising and stemming.
void rebuild_full_text(sqlite::Database& db) {
  sqlite::Transaction tx(db);
  if (full_text_version(db) >= kFullTextVersion) return;  // another process was first
  db.exec("DROP TABLE IF EXISTS amis_records_fts");
  create_full_text_table(db);
  auto s = db.cached("SELECT fid, document FROM amis_records");
  while (s->step()) write_full_text(db, s->column_int(0), prepare_record(record_from_document(s->column_text(1))));
  db.cached("UPDATE amis_catalog_state SET full_text_version = " + std::to_string(kFullTextVersion))->run();
  db.cached(kCountRecordChange)->run();  // the q= pages may change
  tx.commit();
}

void count_record_change(sqlite::Database& db) { db.cached(kCountRecordChange)->run(); }

std::vector<std::uint8_t> extent_geometry(const core::Envelope& e) {
  std::vector<std::uint8_t> wkb = {1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0};  // Polygon, 1 ring, 5 points
  auto put = [&](double v) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
    wkb.insert(wkb.end(), b, b + sizeof v);
  };
  for (auto [x, y] : {std::pair{e.min_x, e.min_y}, {e.max_x, e.min_y}, {e.max_x, e.max_y}, {e.min_x, e.max_y},
                      {e.min_x, e.min_y}}) {
    put(x);
    put(y);
  }
  std::vector<std::uint8_t> out;
  append_gpkg_geometry(wkb, kCrs84SrsId, out);
  return out;
}

std::int64_t insert_row(sqlite::Database& db, const RecordRow& r) {
  auto s = db.cached(
      "INSERT INTO amis_records (id, origin, type, title, description, country, language, license, parent, "
      "keywords, themes, formats, externalIds, created, updated, published, featureCount, time_start, time_end, "
      "min_x, min_y, max_x, max_y, geom, document) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s->bind(1, std::string_view(r.id));
  s->bind(2, std::string_view(r.origin));
  s->bind(3, std::string_view(r.type));
  s->bind(4, std::string_view(r.title));
  s->bind(5, std::string_view(r.description));
  bind_optional(*s, 6, r.country);
  bind_optional(*s, 7, r.language);
  bind_optional(*s, 8, r.license);
  bind_optional(*s, 9, r.parent);
  s->bind(10, std::string_view(json_array(r.keywords)));
  s->bind(11, std::string_view(json_array(r.themes)));
  s->bind(12, std::string_view(json_array(r.formats)));
  s->bind(13, std::string_view(json_array(r.external_ids)));
  bind_optional(*s, 14, r.created);
  s->bind(15, std::string_view(r.updated));
  bind_optional(*s, 16, r.published);
  if (r.feature_count) s->bind(17, *r.feature_count);
  else s->bind_null(17);
  bind_optional(*s, 18, r.time_start);
  bind_optional(*s, 19, r.time_end);
  if (r.extent) {
    s->bind(20, r.extent->min_x);
    s->bind(21, r.extent->min_y);
    s->bind(22, r.extent->max_x);
    s->bind(23, r.extent->max_y);
    s->bind_blob(24, extent_geometry(*r.extent));
  } else {
    for (int i = 20; i <= 24; ++i) s->bind_null(i);
  }
  s->bind(25, std::string_view(r.document));
  s->run();
  return sqlite3_last_insert_rowid(db.handle());
}

}  // namespace

void create_catalog_tables(sqlite::Database& db) {
  for (const char* column : {"records_version", "full_text_version"})
    if (has_table(db, "amis_catalog_state") && !has_column(db, "amis_catalog_state", column))
      db.exec(std::string("ALTER TABLE amis_catalog_state ADD COLUMN ") + column + " INTEGER NOT NULL DEFAULT 0");
  if (has_table(db, "amis_catalog_state") && !has_column(db, "amis_catalog_state", "records_token"))
    db.exec("ALTER TABLE amis_catalog_state ADD COLUMN records_token TEXT NOT NULL DEFAULT ''");
  db.exec(kSchema);
  db.exec(source_triggers());
  create_full_text_table(db);
  if (full_text_version(db) < kFullTextVersion) rebuild_full_text(db);
}

void write_record(sqlite::Database& db, catalog::Record r, CatalogBatch* batch) {
  if (r.updated.empty()) {
    auto now = db.cached("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    now->step();
    r.updated = now->column_text(0);
  }
  write_record(db, prepare_record(r), batch);
}

void write_record(sqlite::Database& db, const PreparedRecord& record, CatalogBatch* batch) {
  const RecordRow& row = record.row;
  delete_record(db, row.id, batch);
  const std::int64_t fid = insert_row(db, row);
  write_terms(db, fid, record.terms);
  write_full_text(db, fid, record, batch ? &batch->words : nullptr);
  if (batch) batch->changed = true;
  else count_record_change(db);
  if (row.extent) {
    auto rtree = db.cached("INSERT INTO rtree_amis_records_geom (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)");
    rtree->bind(1, fid);
    rtree->bind(2, row.extent->min_x);
    rtree->bind(3, row.extent->max_x);
    rtree->bind(4, row.extent->min_y);
    rtree->bind(5, row.extent->max_y);
    rtree->run();
  }
}

bool delete_record(sqlite::Database& db, std::string_view id, CatalogBatch* batch) {
  std::int64_t fid = 0;
  {
    auto find = db.cached("SELECT fid FROM amis_records WHERE id = ?");
    find->bind(1, id);
    if (!find->step()) return false;
    fid = find->column_int(0);
  }
  for (const char* sql : {"DELETE FROM amis_record_terms WHERE fid = ?", "DELETE FROM amis_records_fts WHERE rowid = ?",
                          "DELETE FROM rtree_amis_records_geom WHERE id = ?", "DELETE FROM amis_records WHERE fid = ?"}) {
    auto del = db.cached(sql);
    del->bind(1, fid);
    del->run();
  }
  if (batch) batch->changed = true;
  else count_record_change(db);
  return true;
}

void finish_batch(sqlite::Database& db, CatalogBatch& batch) {
  if (batch.changed) count_record_change(db);
  batch.changed = false;
}

std::optional<catalog::Record> read_record(sqlite::Database& db, std::string_view id) {
  auto s = db.cached("SELECT document FROM amis_records WHERE id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  return record_from_document(s->column_text(0));
}

}  // namespace amis::store::gpkg
