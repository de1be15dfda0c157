#pragma once
// DDL for a GeoPackage 1.3 file that GDAL and QGIS open directly, plus the AMIS
// metadata table that records what OGC API publishes about each collection.
#include <string>

#include "core/collection.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

inline constexpr int kCrs84SrsId = 4326;  // GeoPackage geometry axis order is always x=lon, y=lat

// Creates the GeoPackage core tables and the AMIS tables when missing; sets WAL mode.
void initialise_geopackage(sqlite::Database& db);

// Creates a feature table with an R-tree index and registers it in gpkg_contents,
// gpkg_geometry_columns and gpkg_extensions. The R-tree is filled by
// bulk_load_rtree() and then kept current by the GeoPackage triggers.
void create_feature_table(sqlite::Database& db, const core::Collection& collection);

// Installs the GeoPackage R-tree triggers (once the R-tree is filled).
void install_spatial_index_triggers(sqlite::Database& db, const std::string& table);

// Drops a feature table, its R-tree, triggers and registrations.
void drop_feature_table(sqlite::Database& db, const std::string& table);

std::string rtree_name(const std::string& table);

}  // namespace amis::store::gpkg
