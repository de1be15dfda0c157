#include "store/open_store.hpp"

#include <stdexcept>

#include "store/gpkg/gpkg_accounts.hpp"
#include "store/gpkg/gpkg_nodes.hpp"
#include "store/gpkg/gpkg_catalog.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/gpkg/gpkg_dump.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/gpkg/gpkg_workplans.hpp"
#include "store/gpkg/gpkg_usage.hpp"
#include "store/gpkg/gpkg_needs.hpp"
#include "store/postgis/pg_accounts.hpp"
#include "store/postgis/pg_nodes.hpp"
#include "store/postgis/pg_change_sets.hpp"
#include "store/postgis/pg_catalog.hpp"
#include "store/postgis/pg_connection.hpp"
#include "store/postgis/pg_usage.hpp"
#include "store/postgis/pg_needs.hpp"
#include "store/postgis/pg_dump.hpp"
#include "store/postgis/pg_schema.hpp"
#include "store/postgis/postgis_store.hpp"
#include "store/postgis/pg_workplans.hpp"

namespace amis::store {
namespace {

std::unique_ptr<postgis::PostgisStore> open_postgis(const StoreLocation& where) {
  try {
    return std::make_unique<postgis::PostgisStore>(
        postgis::DatabaseSettings{where.location, where.replicas, where.pool_size, where.max_replica_lag_seconds},
        where.data_dir);
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

std::unique_ptr<CatalogStore> open_catalog(const StoreLocation& where, Store& features) {
  if (is_postgresql(where.location)) {
    auto* store = dynamic_cast<postgis::PostgisStore*>(&features);
    if (!store) throw std::logic_error("open_catalog: the features of a PostgreSQL location are not a PostgisStore");
    return std::make_unique<postgis::PostgisCatalog>(store->pool());
  }
  return std::make_unique<gpkg::GpkgCatalog>(where.location);
}

std::unique_ptr<StoreDump> open_dump(const StoreLocation& where, Store& features) {
  if (is_postgresql(where.location)) {
    auto* store = dynamic_cast<postgis::PostgisStore*>(&features);
    if (!store) throw std::logic_error("open_dump: the features of a PostgreSQL location are not a PostgisStore");
    return std::make_unique<postgis::PgDump>(store->pool());
  }
  return std::make_unique<gpkg::GpkgDump>(where.location);
}

void remove_store(const StoreLocation& where) {
  if (!is_postgresql(where.location)) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(where.location + suffix);
    return;
  }
  try {
    postgis::Connection db(where.location);
    postgis::Transaction tx(db);
    db.exec(std::string("DROP SCHEMA IF EXISTS ") + postgis::kFeatureSchema + " CASCADE");
    const auto tables = db.exec(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename LIKE 'amis\\_%'");
    for (int i = 0; i < tables.rows(); ++i) db.exec("DROP TABLE IF EXISTS " + std::string(tables.text(i, 0)) + " CASCADE");
    tx.commit();
  } catch (const postgis::ConnectFailed& e) {
    throw std::runtime_error(e.detail());
  }
}

OpenedStore open_store(const StoreLocation& where) {
  OpenedStore opened;
  if (is_postgresql(where.location)) {
    auto features = open_postgis(where);
    // The accounts and change sets share the primary's pool (and its schema).
    opened.accounts = std::make_unique<postgis::PgAccounts>(features->pool());
    opened.change_sets = std::make_unique<postgis::PgChangeSets>(features->pool());
    opened.catalog = std::make_unique<postgis::PostgisCatalog>(features->pool());
    opened.work_plans = std::make_unique<postgis::PgWorkPlans>(features->pool());
    opened.usage = std::make_unique<postgis::PgUsage>(features->pool());
    opened.needs = std::make_unique<postgis::PgNeeds>(features->pool());
    opened.nodes = std::make_unique<postgis::PgNodes>(features->pool());
    opened.health = features.get();
    opened.features = std::move(features);
    return opened;
  }
  auto gpkg = std::make_unique<gpkg::GpkgStore>(where.location);
  opened.health = gpkg.get();
  opened.features = std::move(gpkg);
  opened.accounts = std::make_unique<gpkg::GpkgAccounts>(where.location);
  opened.change_sets = std::make_unique<gpkg::GpkgChangeSets>(where.location);
  opened.catalog = std::make_unique<gpkg::GpkgCatalog>(where.location);
  opened.work_plans = std::make_unique<gpkg::GpkgWorkPlans>(where.location);
  opened.usage = std::make_unique<gpkg::GpkgUsage>(where.location);
  opened.needs = std::make_unique<gpkg::GpkgNeeds>(where.location);
  opened.nodes = std::make_unique<gpkg::GpkgNodes>(where.location);
  return opened;
}

}  // namespace amis::store
