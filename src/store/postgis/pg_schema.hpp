#pragma once
// The tables AMIS keeps in a PostgreSQL database, created at start when missing.
// Several amis nodes may start at once: the bootstrap runs in one transaction under
// an advisory lock, and every statement is idempotent (IF NOT EXISTS); it runs
// only when the database's schema digest is not this build's.
#include <string>
#include <vector>

#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

// The DDL of one part of the store (the feature catalogue, accounts, change sets ...).
struct SchemaPart {
  std::string name;  // for the log
  std::string ddl;   // idempotent statements, run as one script
};

// The schema that holds one table per collection, apart from AMIS's own tables
// and PostGIS's (spatial_ref_sys ...), so that no collection id can clash.
inline constexpr const char* kFeatureSchema = "amis_data";

// The qualified, quoted name of a collection's feature table: amis_data."<id>".
std::string feature_table(std::string_view collection);

// Every part, in the order they are created. pg_schema.cpp lists them.
std::vector<SchemaPart> schema_parts();

// What this build's schema is: a digest of every part's DDL and of the catalogue's
// full-text version, kept in amis_schema_state once the bootstrap has run.
std::string schema_digest();

// Creates the PostGIS extension (when allowed) and every missing table, unless the
// database's amis_schema_state already holds schema_digest(): a store that this
// build has opened before is opened with one query and no lock. Then, at every
// open, undoes what older versions made and this one no longer wants (no lock
// once there is nothing to undo).
// @throws ServerError with a clear message when PostGIS is not installed and the
// role may not create it; the error of the SQLSTATE otherwise.
void ensure_schema(Connection& connection);

}  // namespace amis::store::postgis
