#pragma once
#include <sqlite3.h>

namespace amis::store::gpkg {

// Registers the functions the spatial joins (GpkgDialect::spatial_join) call, on
// GeoPackage geometries:
//   amis_within(a, b)            a lies within b (DE-9IM, by GEOS), as S_WITHIN
//   amis_dwithin(a, b, metres)   the great-circle distance (core/sphere_distance.hpp)
//                                between a and b is at most `metres`
//   amis_search_box(g, metres, k)  member k (0 min x, 1 min y, 2 max x, 3 max y) of the
//                                box holding every point within `metres` of g
// NULL for a missing or unreadable geometry.
void register_join_functions(sqlite3* db);

}  // namespace amis::store::gpkg
