#pragma once
// Which store a location names, and opening it: the one place that knows the
// backends. A postgresql:// (or postgres://) URL is a PostgreSQL/PostGIS store;
// anything else is the path of a GeoPackage file.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "store/accounts.hpp"
#include "store/change_sets.hpp"
#include "store/health.hpp"
#include "store/store.hpp"

namespace amis::store {

struct StoreLocation {
  std::string location;        // [store] url / --store
  std::size_t pool_size = 8;   // [store] pool_size (PostgreSQL)
  std::string data_dir = "data";  // [store] data_dir (PostgreSQL): rasters/, tile-cache/
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

// Everything a server needs from one store.
struct OpenedStore {
  std::unique_ptr<Store> features;
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<ChangeSetStore> change_sets;
  HealthReporter* health = nullptr;  // the features store's, for /health
};

// @throws as open_features(), and std::runtime_error for a PostgreSQL store
// until its accounts and change sets exist.
OpenedStore open_store(const StoreLocation& where);

}  // namespace amis::store
