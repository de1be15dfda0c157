#pragma once
// The catalogue's tables in the GeoPackage: one row per record in amis_records
// (the record as JSON, plus the columns filters, sorting and the R-tree use), its
// facet values in amis_record_terms, its text in the FTS5 table amis_records_fts
// (unicode61 words without stemming, as the PostGIS catalogue's), the words of its
// AnyText fields in amis_record_words (every record's, never removed: a list to
// find index words by substring), its extent in the R-tree rtree_amis_records_geom;
// amis_catalog_state.records_version counts every write. These are private tables
// of AMIS, not GeoPackage contents.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "catalog/record.hpp"
#include "store/catalog_row.hpp"
#include "store/catalog_filter.hpp"  // kRecordTable (its R-tree is rtree_<this>_geom)
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

// Creates the tables, or brings those of an older AMIS up to date (the full text
// of a catalogue without amis_record_words is made again in one transaction).
void create_catalog_tables(sqlite::Database& db);

// What a writer keeps over the records of one transaction: the words it put in the
// word list already (each is looked up once, not once per record), and whether a
// record changed (the records' version is then counted once, by finish_batch).
struct CatalogBatch {
  std::unordered_set<std::string> words;
  bool changed = false;
};

// Writes the record, replacing the row with its id (inside the caller's transaction).
// An empty `updated` becomes now. @throws core::InvalidValue from catalog::validate
// or for a date that is not RFC 3339. Without a batch, the change is counted at once.
void write_record(sqlite::Database& db, catalog::Record record, CatalogBatch* batch = nullptr);
// The same for a prepared record (its `updated` set).
void write_record(sqlite::Database& db, const PreparedRecord& record, CatalogBatch* batch = nullptr);

// Removes the record's rows; false when there was none.
bool delete_record(sqlite::Database& db, std::string_view id, CatalogBatch* batch = nullptr);

// Counts the batch's changes (once), before its transaction commits.
void finish_batch(sqlite::Database& db, CatalogBatch& batch);

std::optional<catalog::Record> read_record(sqlite::Database& db, std::string_view id);

}  // namespace amis::store::gpkg
