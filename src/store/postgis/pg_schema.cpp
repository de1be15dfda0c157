#include "store/postgis/pg_schema.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace amis::store::postgis {
namespace {

// The feature catalogue: one row per collection (its feature table is named in
// table_name and swapped at each import), the styles and the raster layers.
// Dates are text in RFC 3339 as in the GeoPackage store, so both answer alike.
constexpr const char* kFeatureCatalogue = R"SQL(
CREATE TABLE IF NOT EXISTS amis_collections (
  id text PRIMARY KEY, table_name text NOT NULL UNIQUE, title text NOT NULL, description text,
  keywords text, licence text, attribution text, temporal_property text, temporal_start text,
  temporal_end text, feature_count bigint NOT NULL DEFAULT 0, updated text NOT NULL,
  geometry_type text NOT NULL DEFAULT 'GEOMETRY', properties jsonb NOT NULL DEFAULT '[]',
  min_x double precision, min_y double precision, max_x double precision, max_y double precision);
CREATE TABLE IF NOT EXISTS amis_styles (
  collection text NOT NULL, name text NOT NULL, title text NOT NULL, abstract text NOT NULL,
  sld text NOT NULL, updated text NOT NULL, PRIMARY KEY (collection, name));
CREATE TABLE IF NOT EXISTS amis_rasters (
  id text PRIMARY KEY, title text NOT NULL, description text NOT NULL, attribution text NOT NULL,
  licence text NOT NULL, path text NOT NULL, min_value double precision NOT NULL,
  max_value double precision NOT NULL, min_x double precision NOT NULL, min_y double precision NOT NULL,
  max_x double precision NOT NULL, max_y double precision NOT NULL);
)SQL";

// Serialises the bootstrap of nodes that start together (any constant will do).
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(4242014)";

void ensure_postgis(Connection& connection) {
  if (connection.exec("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").rows() > 0) return;
  try {
    connection.exec("CREATE EXTENSION IF NOT EXISTS postgis");
  } catch (const core::OgcError& e) {
    throw core::ServerError(
        "the database has no PostGIS extension and this role may not create it: run "
        "\"CREATE EXTENSION postgis\" in it as a superuser (" + std::string(e.what()) + ")");
  }
}

}  // namespace

std::vector<SchemaPart> schema_parts() {
  return {
      {"feature catalogue", kFeatureCatalogue},
      // ---- pg-edit: the accounts and change sets parts go here, e.g.
      //   {"accounts", kAccountTables},        (store/postgis/pg_accounts_schema.hpp)
      //   {"change sets", kChangeSetTables},   (store/postgis/pg_change_sets_schema.hpp)
  };
}

void ensure_schema(Connection& connection) {
  Transaction tx(connection);
  connection.exec(kSchemaLock);
  ensure_postgis(connection);
  for (const auto& part : schema_parts()) {
    spdlog::debug("PostgreSQL schema: {}", part.name);
    connection.exec_script(part.ddl);
  }
  tx.commit();
}

}  // namespace amis::store::postgis
