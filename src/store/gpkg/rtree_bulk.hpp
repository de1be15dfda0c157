#pragma once
// Builds a collection's R-tree in one pass after its features are written,
// instead of SQLite inserting them one by one (which cost two thirds of a
// 200,000-point import). The tree is packed by Sort-Tile-Recursive and written
// straight into the R-tree module's shadow tables (_node, _rowid, _parent) in
// the format SQLite's rtree.c reads and keeps maintaining afterwards, as GDAL
// does for GeoPackages since 3.6; rtreecheck() accepts the result.
#include <cstdint>
#include <string>
#include <vector>

#include "core/envelope.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

// One feature's box as the R-tree stores it: 32-bit floats rounded outwards.
struct RtreeEntry {
  std::int64_t id = 0;
  float min_x = 0, max_x = 0, min_y = 0, max_y = 0;
};

// The box SQLite would store for `envelope` (its rtreeValueDown/rtreeValueUp).
RtreeEntry rtree_entry(std::int64_t id, const core::Envelope& envelope);

// Fills the empty 2-D R-tree virtual table `rtree` (just created, in the
// caller's transaction) with `entries` (reordered). @throws ServerError when
// the table is not empty or SQLite cannot write.
void bulk_load_rtree(sqlite::Database& db, const std::string& rtree, std::vector<RtreeEntry> entries);

}  // namespace amis::store::gpkg
