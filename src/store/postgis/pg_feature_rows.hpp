#pragma once
// The published features of one collection as the change sets read and write
// them in PostgreSQL: a row per feature in the collection's table
// (feature_table(), see postgis_store.hpp), with `fid`, a `geom` in EPSG:4326
// (x = longitude, as CRS84) and a column per property. Values come out as the GeoPackage store gives them (the same JSON,
// hence the same digests and ETags).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "core/envelope.hpp"
#include "edit/change_set.hpp"
#include "edit/collection_summary.hpp"
#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

class FeatureRows {
 public:
  // Checks the collection is in the catalogue; with `lock`, holds its row until
  // the transaction ends, so that approvals of one collection take turns.
  // @throws core::NotFound when the collection is not in the catalogue.
  FeatureRows(Connection& connection, const core::Collection& collection, bool lock = false);

  const std::string& table() const { return table_; }  // qualified and quoted

  std::optional<edit::FeatureState> read(std::int64_t fid);
  // Locks the rows of these features (those that exist) until the transaction ends.
  void lock(const std::vector<std::int64_t>& fids);
  // Inserts a feature with its own fid (a restored one) or the next one (as
  // SQLite gives: one more than the largest); returns the fid.
  std::int64_t insert(std::optional<std::int64_t> fid, const edit::FeatureState& state);
  // Inserts new features, each with the next fid in the order given, as insert()
  // without a fid would one by one, in a few statements: a change set of 50,000
  // inserts is approved in seconds, not in 50,000 round trips. Returns their fids.
  std::vector<std::int64_t> insert_new(const std::vector<const edit::FeatureState*>& states);
  void replace(std::int64_t fid, const edit::FeatureState& state);
  void remove(std::int64_t fid);
  // The catalogue's count, extents and update time after changes at `time`:
  // kept up to date from what insert(), replace() and remove() returned, and
  // recomputed only where a removed geometry or time was on the summary's edge
  // (that side through the spatial index), so that an approval does not scan a
  // collection of millions of rows.
  void refresh(const std::string& time);

  // An SQL expression of the properties of row `alias` as a JSON object (text).
  std::string properties_json(const std::string& alias) const;

 private:
  void bind_properties(Params& params, const nlohmann::json& properties) const;
  // The SQL of a row's envelope and time as five text-free columns (x/y min/max, time).
  std::string summary_columns(const std::string& alias) const;
  // The summary part of the five columns of summary_columns() from column `first` of row `row`.
  static edit::SummaryPart summary_part(const Result& r, int first, int row = 0);
  // The INSERT of insert() with these columns' values, a row per feature in `values`.
  std::string insert_statement(const std::string& columns, const std::string& values) const;
  // ", col1, col2, …": the quoted property columns, each after a comma.
  std::string property_columns() const;
  void refresh_all(const std::string& time);
  // The exact side `side` (0 min x, 1 min y, 2 max x, 3 max y) of the rows' extent,
  // all of which lie in `bounds`, through the GiST index: strips along that side,
  // widened until one holds a row.
  std::optional<double> extent_side(int side, const core::Envelope& bounds);
  Connection& connection_;
  const core::Collection& collection_;
  std::string table_;
  edit::SummaryChanges changes_;  // of this transaction, for refresh()
};

}  // namespace amis::store::postgis
