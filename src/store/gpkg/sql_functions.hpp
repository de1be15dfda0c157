#pragma once
#include <sqlite3.h>

namespace amis::store::gpkg {

// Registers on a connection the functions the GeoPackage R-tree triggers call
// (ST_MinX, ST_MaxX, ST_MinY, ST_MaxY, ST_IsEmpty) and AMIS's exact spatial test
// amis_intersects_bbox(geom, minx, miny, maxx, maxy), backed by GEOS.
void register_sql_functions(sqlite3* db);

}  // namespace amis::store::gpkg
