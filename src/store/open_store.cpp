#include "store/open_store.hpp"

#include <stdexcept>

#include "store/gpkg/gpkg_accounts.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/postgis/pg_connection.hpp"
#include "store/postgis/postgis_store.hpp"

namespace amis::store {
namespace {

std::unique_ptr<postgis::PostgisStore> open_postgis(const StoreLocation& where) {
  try {
    return std::make_unique<postgis::PostgisStore>(where.location, where.pool_size, where.data_dir);
  } catch (const postgis::ConnectFailed& e) {
    throw std::runtime_error(e.detail());  // the operator's line: URL without password, libpq's reason
  }
}

}  // namespace

bool is_postgresql(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::filesystem::path store_folder(const StoreLocation& where) {
  if (is_postgresql(where.location)) return std::filesystem::absolute(where.data_dir);
  return std::filesystem::absolute(where.location).parent_path();
}

std::string describe(const StoreLocation& where) {
  return is_postgresql(where.location) ? postgis::redacted_url(where.location) : where.location;
}

bool store_exists(const StoreLocation& where) {
  return is_postgresql(where.location) || std::filesystem::exists(where.location);
}

std::unique_ptr<Store> open_features(const StoreLocation& where) {
  if (is_postgresql(where.location)) return open_postgis(where);
  return std::make_unique<gpkg::GpkgStore>(where.location);
}

OpenedStore open_store(const StoreLocation& where) {
  OpenedStore opened;
  if (is_postgresql(where.location)) {
    auto features = open_postgis(where);
    // ---- pg-edit: the PostGIS accounts and change sets, on the same pool:
    //   opened.accounts = std::make_unique<postgis::PgAccounts>(features->pool());
    //   opened.change_sets = std::make_unique<postgis::PgChangeSets>(features->pool());
    // Until they exist, commands that need them stop here with one line.
    throw std::runtime_error("the PostgreSQL store has no accounts and change sets yet; serve, user, token and "
                             "import --key need a GeoPackage store for now");
    opened.health = features.get();
    opened.features = std::move(features);
    return opened;
  }
  auto features = std::make_unique<gpkg::GpkgStore>(where.location);
  opened.health = features.get();
  opened.features = std::move(features);
  opened.accounts = std::make_unique<gpkg::GpkgAccounts>(where.location);
  opened.change_sets = std::make_unique<gpkg::GpkgChangeSets>(where.location);
  return opened;
}

}  // namespace amis::store
