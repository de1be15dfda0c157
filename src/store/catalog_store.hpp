#pragma once
// The metadata catalogue's records, kept with the data (issue 15). Protocols
// (OGC API - Records, CSW) and the record keeper see only this interface; the
// GeoPackage backend searches with SQLite FTS5 (porter stemming, bm25) and an
// R-tree, a PostGIS backend with tsvector/GIN and GiST. No backend caps a search:
// `limit` nullopt streams every match with flat memory.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "catalog/record.hpp"
#include "store/catalog_row.hpp"

namespace amis::store {

// Where a search pushes its records, one at a time, in order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // @throws any exception to stop the cursor (for example a client that went away).
  virtual void record(const catalog::Record& record) = 0;
};

// What a search tells besides the records it pushed.
struct SearchSummary {
  std::int64_t returned = 0;
  std::optional<std::int64_t> matched;  // when the query asked to count
  std::vector<catalog::Facet> facets;   // those the query asked for, in its order
};

// Adds or replaces many records in one transaction (an import, a harvest): nothing
// is visible until commit(); destroying the writer without commit() changes nothing.
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Adds the record, replacing one with the same id. @throws core::InvalidValue
  // when catalog::validate refuses it.
  virtual void put(const catalog::Record& record) = 0;
  // The same for a record prepared on another thread (prepare_record), its `updated` set.
  virtual void put(const PreparedRecord& record) = 0;
  // Removes a record; false when there was none.
  virtual bool remove(std::string_view id) = 0;
  // @throws ServerError when the store cannot write.
  virtual void commit() = 0;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  // Adds the record or replaces the one with its id (its `updated` is set here
  // unless the record carries one, as a harvested record does).
  // @throws core::InvalidValue when catalog::validate refuses it.
  virtual void put(const catalog::Record& record) = 0;
  // False when there was no such record.
  virtual bool remove(std::string_view id) = 0;
  virtual std::optional<catalog::Record> record(std::string_view id) = 0;

  // Many writes in one transaction (see RecordWriter).
  virtual std::unique_ptr<RecordWriter> writer() = 0;
  // A writer for an import of many records, which may hold more memory while its
  // transaction lasts (the GeoPackage's a larger page cache).
  virtual std::unique_ptr<RecordWriter> bulk_writer() { return writer(); }

  // A number that grows whenever a collection, style or raster layer of the
  // store changes (by any process: a running server, `amis import`): derived
  // records are current while derived_version() equals it.
  virtual std::int64_t sources_version() = 0;
  // The sources_version() the derived records were last made from (0: never).
  virtual std::int64_t derived_version() = 0;
  // Changes with every write of the records, derived, harvested or edited
  // (whichever process writes), and never comes back: their version and a random
  // token set with it (a store restored from a backup or copied keeps its own).
  // A page of a search read after it is the same while it is (the Records pages' ETags).
  virtual std::string records_tag() = 0;

  // Replaces, in one transaction, every record of origin Derived by `records`
  // (all Derived): records whose id is not among them are removed, the others
  // are added or replaced; `updated` is kept for records whose content did not
  // change. `sources_version` is the sources_version() read before the records
  // were made, kept as derived_version(). Returns how many records were added,
  // changed or removed.
  virtual std::int64_t replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) = 0;

  // Pushes the matching records, in the query's order, into `sink` and returns
  // the count, facets and number pushed.
  // @throws core::InvalidParameter for a filter or sortby on something that is not
  // a queryable/sortable, or a value that does not fit its queryable's type.
  virtual SearchSummary search(const catalog::CatalogQuery& query, RecordSink& sink) = 0;

  // The number of records in the catalogue.
  virtual std::int64_t size() = 0;
};

}  // namespace amis::store
