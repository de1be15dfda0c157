#include "store/postgis/pg_schema.hpp"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <fmt/format.h>

#include "core/error.hpp"
#include "store/postgis/pg_accounts.hpp"
#include "store/postgis/pg_case_folding.hpp"
#include "store/postgis/pg_change_sets.hpp"
#include "store/postgis/pg_workplans.hpp"
#include "store/postgis/pg_usage.hpp"
#include "store/postgis/pg_needs.hpp"
#include "store/postgis/pg_catalog_schema.hpp"
#include "store/postgis/pg_nodes.hpp"

namespace amis::store::postgis {
namespace {

// The feature catalogue: one row per collection (its feature table is named in
// table_name and swapped at each import), the styles and the raster layers.
// Dates are text in RFC 3339 as in the GeoPackage store, so both answer alike.
constexpr const char* kFeatureCatalogue = R"SQL(
CREATE SCHEMA IF NOT EXISTS amis_data;
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
  max_x double precision NOT NULL, max_y double precision NOT NULL, country text NOT NULL DEFAULT '');
-- A coverage's member state (issue 17), kept since 2026-12; stores from before get it empty.
ALTER TABLE amis_rasters ADD COLUMN IF NOT EXISTS country text NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS amis_raster_bands (
  raster text NOT NULL, band integer NOT NULL, name text NOT NULL, unit text NOT NULL, description text NOT NULL,
  data_type text NOT NULL, nodata double precision, min_value double precision NOT NULL,
  max_value double precision NOT NULL, PRIMARY KEY (raster, band));
)SQL";

// The functions compiled filters call (store/filter_compiler.cpp), under the
// names the GeoPackage store registers in SQLite, with the same meaning: Unicode
// case mapping by ICU and full case folding (pg_case_folding.hpp), accents removed (NFD, non-spacing marks
// dropped, NFC), CQL2 array predicates on JSON arrays as sets, a^b.
constexpr const char* kFilterFunctions = R"SQL(
CREATE OR REPLACE FUNCTION amis_lower(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower($1 COLLATE "und-x-icu") $$;
CREATE OR REPLACE FUNCTION amis_upper(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT upper($1 COLLATE "und-x-icu") $$;
-- Full case folding (pg_case_folding.hpp); not STRICT, so that it is inlined.
CREATE OR REPLACE FUNCTION amis_casei(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT amis_fold_lower(lower($1 COLLATE "und-x-icu")) COLLATE "C" $$;
CREATE OR REPLACE FUNCTION amis_accenti(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT normalize(translate(regexp_replace(normalize($1, NFD),
       '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
       -- letters whose diacritic NFD leaves whole (as the GeoPackage store's base_letter)
       U&'\0111\0110\00F8\00D8\0142\0141\0127\0126\0131\0167\0166', 'dDoOlLhHitT'), NFC) COLLATE "C" $$;
CREATE OR REPLACE FUNCTION amis_pow(double precision, double precision) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN v = 'Infinity' OR v = '-Infinity' OR v = 'NaN' THEN NULL ELSE v END
        FROM (SELECT CASE WHEN $1 = 0 AND $2 < 0 THEN 'Infinity'::double precision ELSE power($1, $2) END AS v) p $$;
CREATE OR REPLACE FUNCTION amis_array(op text, a text, b text) RETURNS integer LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE x jsonb; y jsonb;
BEGIN
  IF op IS NULL OR a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
  BEGIN
    x := a::jsonb; y := b::jsonb;
  EXCEPTION WHEN others THEN RETURN NULL;
  END;
  IF jsonb_typeof(x) <> 'array' OR jsonb_typeof(y) <> 'array' THEN RETURN NULL; END IF;
  RETURN CASE op
    WHEN 'a_equals' THEN (x @> y AND y @> x)::int
    WHEN 'a_contains' THEN (x @> y)::int
    WHEN 'a_containedBy' THEN (y @> x)::int
    WHEN 'a_overlaps' THEN (EXISTS (SELECT 1 FROM jsonb_array_elements(x) e WHERE y @> jsonb_build_array(e)))::int
    ELSE 0 END;
END $$;
-- The box holding every point within `metres` (great-circle, on the sphere of WGS 84's
-- mean radius) of g, for the spatial joins' index condition; every longitude when the
-- circle reaches a pole. The same box as core::search_box (core/sphere_distance.cpp).
CREATE OR REPLACE FUNCTION amis_search_box(g geometry, metres double precision) RETURNS geometry
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ST_MakeEnvelope(
            CASE WHEN polar THEN LEAST(ST_XMin(g), -180) ELSE ST_XMin(g) - dlon END,
            GREATEST(ST_YMin(g) - dlat, -90),
            CASE WHEN polar THEN GREATEST(ST_XMax(g), 180) ELSE ST_XMax(g) + dlon END,
            LEAST(ST_YMax(g) + dlat, 90), 4326)
        FROM (SELECT dlat, polar,
                     CASE WHEN polar THEN 0
                          ELSE degrees(asin(LEAST(1, sin(r) / cos(radians(p))))) * (1 + 1e-9) + 1e-9 END AS dlon
              FROM (SELECT r, dlat, p + dlat >= 90 AS polar, p
                    FROM (SELECT metres / 6371008.7714 AS r, degrees(metres / 6371008.7714) * (1 + 1e-9) + 1e-9 AS dlat,
                                 GREATEST(abs(ST_YMin(g)), abs(ST_YMax(g))) AS p) a) b) c $$;
)SQL";

// What older stores hold and this version no longer wants, undone at every open,
// whatever the schema digest says (each statement a no-op that takes no lock once
// done: DROP ... IF EXISTS of nothing). Earlier versions indexed the country
// profiles' document as a category; PostgreSQL's btree refuses a row of more than
// 2704 bytes, so the index made approving a long profile fail (issue 20).
constexpr const char* kMigrations = R"SQL(
DROP INDEX IF EXISTS amis_data.amis_country_profiles_fields_idx;
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

std::string feature_table(std::string_view collection) {
  return std::string(kFeatureSchema) + "." + quote_identifier(collection);
}

std::vector<SchemaPart> schema_parts() {
  return {
      {"feature catalogue", kFeatureCatalogue},
      {"case folding", kCaseFolding},
      {"filter functions", kFilterFunctions},
      {"accounts", PgAccounts::schema()},        // also the time functions the change sets use
      {"change sets", PgChangeSets::schema()},
      {"metadata catalogue", catalog_tables()},
      {"work plans", PgWorkPlans::schema()},
      {"usage", PgUsage::schema()},
      {"needs register", PgNeeds::schema()},
      {"national nodes", PgNodes::schema()},
  };
}

std::string schema_digest() {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits
  auto add = [&hash](std::string_view text) {
    for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    hash = (hash ^ 0xffu) * 1099511628211ull;  // a separator no DDL text holds
  };
  for (const auto& part : schema_parts()) {
    add(part.name);
    add(part.ddl);
  }
  add(std::to_string(kFullTextVersion));
  return fmt::format("{:016x}", hash);
}

namespace {

// The bootstrap this build would run has already run on the database.
bool schema_is_current(Connection& connection, const std::string& digest) {
  if (!connection.exec("SELECT to_regclass('amis_schema_state') IS NOT NULL").boolean(0, 0)) return false;
  return connection.exec("SELECT 1 FROM amis_schema_state WHERE digest = $1", Params().text(digest)).rows() > 0;
}

constexpr const char* kSchemaState = R"SQL(
CREATE TABLE IF NOT EXISTS amis_schema_state (digest text NOT NULL);
DELETE FROM amis_schema_state;
)SQL";

}  // namespace

void ensure_schema(Connection& connection) {
  const std::string digest = schema_digest();
  // Every start of a node or a command opens the store: when its schema is this
  // build's, reading one row is all it costs. The DDL below takes exclusive locks
  // (ALTER TABLE, CREATE OR REPLACE FUNCTION) that would queue the requests of
  // nodes already serving, or deadlock with one of them.
  if (!schema_is_current(connection, digest)) {
    Transaction tx(connection);
    connection.exec(kSchemaLock);
    if (!schema_is_current(connection, digest)) {  // else another node did it while we waited
      ensure_postgis(connection);
      for (const auto& part : schema_parts()) {
        spdlog::debug("PostgreSQL schema: {}", part.name);
        connection.exec_script(part.ddl);
      }
      migrate_catalog_full_text(connection);
      connection.exec_script(kSchemaState);
      connection.exec("INSERT INTO amis_schema_state (digest) VALUES ($1)", Params().text(digest));
    }
    tx.commit();
  }
  connection.exec_script(kMigrations);
}

}  // namespace amis::store::postgis
