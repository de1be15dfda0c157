#pragma once
// Which store a location names, and opening it: the one place that knows the
// backends. A postgresql:// (or postgres://) URL is a PostgreSQL/PostGIS store;
// anything else is the path of a GeoPackage file.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/accounts.hpp"
#include "store/catalog_store.hpp"
#include "store/change_sets.hpp"
#include "store/health.hpp"
#include "store/need_store.hpp"
#include "store/node_store.hpp"
#include "store/store.hpp"
#include "store/workplan_store.hpp"
#include "store/usage_store.hpp"
#include "store/store_dump.hpp"

namespace amis::store {

struct StoreLocation {
  std::string location;        // [store] url / --store
  std::size_t pool_size = 8;   // [store] pool_size (PostgreSQL)
  std::string data_dir = "data";  // [store] data_dir (PostgreSQL): rasters/, tile-cache/
  std::vector<std::string> replicas;   // [store] replicas (PostgreSQL): read replicas' URLs
  double max_replica_lag_seconds = 30;  // [store] max_replica_lag_seconds: behind more, not read
};

bool is_postgresql(std::string_view location);

// The folder of the files kept beside the store (rasters/, tile-cache/): the
// GeoPackage file's folder, or data_dir for PostgreSQL.
std::filesystem::path store_folder(const StoreLocation& where);

// The location as it may be shown (a URL without its password).
std::string describe(const StoreLocation& where);

// Whether there is a store there already (a GeoPackage file exists; a database
// is always taken to exist: opening it says otherwise).
bool store_exists(const StoreLocation& where);

// Opens the features, styles and rasters, creating the store's tables when missing.
// @throws std::runtime_error with one line for the operator (a wrong URL or
// password, a database without PostGIS), core::OgcError for a broken GeoPackage.
std::unique_ptr<Store> open_features(const StoreLocation& where);

// The metadata catalogue of the store whose features `features` are (opened by
// open_features for the same location): the GeoPackage file's tables, or the
// database's on the features' pool. It must not outlive `features`.
std::unique_ptr<CatalogStore> open_catalog(const StoreLocation& where, Store& features);

// The store's own tables row by row (`amis store copy`), on the connections of
// `features` (opened by open_features for the same location).
std::unique_ptr<StoreDump> open_dump(const StoreLocation& where, Store& features);

// Deletes everything AMIS keeps at the location (`amis store copy --replace`):
// the GeoPackage file, or every AMIS table of the database and the schema of
// the feature tables. Nothing else in the database is touched.
// @throws as open_features().
void remove_store(const StoreLocation& where);

// Everything a server needs from one store.
struct OpenedStore {
  std::unique_ptr<Store> features;
  std::unique_ptr<CatalogStore> catalog;  // on the features' connections: declared after them
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<ChangeSetStore> change_sets;
  std::unique_ptr<WorkPlanStore> work_plans;
  std::unique_ptr<UsageStore> usage;
  std::unique_ptr<NeedStore> needs;  // the needs and requirements register (issue 18)
  std::unique_ptr<NodeStore> nodes;  // the national nodes harvested (issue 16)
  HealthReporter* health = nullptr;  // the features' store, for /health
};

// @throws as open_features().
OpenedStore open_store(const StoreLocation& where);

}  // namespace amis::store
