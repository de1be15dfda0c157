#pragma once
// Reading and writing a store's own tables row by row, as they are stored, for
// `amis store copy` (issue 14). The other store interfaces speak in domain terms
// and set ids and times themselves (a new change set gets the next id and the
// time of now); a copy must keep them: history, asOf, the audit log and tokens
// answer the same only if every id and time arrives unchanged. Both backends
// keep these tables with the same names and columns (gpkg_schema.cpp,
// pg_schema.cpp), so one list (store_tables.cpp) describes them for both.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"

namespace amis::store {

// How a column is kept: integers, reals, text, bytes (ISO WKB) and booleans
// (INTEGER 0/1 in SQLite, boolean in PostgreSQL; an Integer cell either way).
enum class ColumnType { Integer, Real, Text, Bytes, Boolean };

struct DumpColumn {
  std::string name;
  ColumnType type = ColumnType::Text;
};

// One of the store's own tables: its columns and the key rows are read in.
struct DumpTable {
  std::string name;
  std::vector<DumpColumn> columns;
  std::string order_by;  // column names, comma separated
  // The column an id sequence gives values to (AUTOINCREMENT, IDENTITY); empty: none.
  std::string id_column;
};

// One value of a row. Views stay valid during the RowSink::row() call only.
struct Cell {
  enum class Kind { Null, Integer, Real, Text, Bytes };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view bytes;  // Text and Bytes
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  // One cell per column of the table, in the table's order.
  virtual void row(std::span<const Cell> cells) = 0;
};

// Appends rows to one table, in one transaction: nothing is written without commit().
class TableLoader : public RowSink {
 public:
  // @throws ServerError (or the backend's error) when the rows cannot be written.
  virtual void commit() = 0;
};

class StoreDump {
 public:
  virtual ~StoreDump() = default;

  // Pushes every row of the table into `sink`, in the table's key order, with flat memory.
  virtual void read(const DumpTable& table, RowSink& sink) = 0;
  // A loader appending rows to the table (with their ids as given).
  virtual std::unique_ptr<TableLoader> load(const DumpTable& table) = 0;

  // The last id the table's sequence handed out (0: none yet), and setting it,
  // so that the next change set, token or audit entry of the copy gets the id
  // the original would have given. A collection's features have one too.
  virtual std::int64_t last_id(const DumpTable& table) = 0;
  virtual void set_last_id(const DumpTable& table, std::int64_t id) = 0;
  virtual std::int64_t last_feature_id(const core::Collection& collection) = 0;
  virtual void set_last_feature_id(const core::Collection& collection, std::int64_t id) = 0;

  // The collection's row as the original has it: extent, feature count,
  // temporal extent and `updated` (the data version tile caches are keyed by),
  // which a new CollectionWriter would otherwise set from the features and now.
  virtual void restore_collection(const core::Collection& collection) = 0;

  // The attribute indexes of a collection (store/attribute_indexes.hpp), each its
  // columns in order.
  virtual std::vector<std::vector<std::string>> attribute_indexes(const core::Collection& collection) = 0;

  // Whether the store holds anything at all: a collection, raster, user, change
  // set, audit entry or catalogue record.
  virtual bool empty() = 0;
};

// The store's own tables a copy moves row by row, parents before children.
// Collections and their features, and the catalogue's records, move through
// Store and CatalogStore instead (their tables differ between the backends).
const std::vector<DumpTable>& dump_tables();

}  // namespace amis::store
