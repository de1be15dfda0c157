#pragma once
#include <sqlite3.h>

namespace amis::store::gpkg {

// Registers the functions compiled filters call:
//   amis_spatial(op, a, b)   a CQL2 spatial predicate (op: 'intersects', 'within', ...) on
//                            GeoPackage geometries or WKB literals, by GEOS; a constant
//                            argument is parsed and prepared once per statement
//   amis_casei(text)         Unicode case folding (ICU)
//   amis_accenti(text)       removes diacritics: NFD, drop non-spacing marks, NFC (ICU)
//   amis_array(op, a, b)     CQL2 array predicates on JSON arrays
//   amis_pow(a, b)           a^b
//   amis_lower/amis_upper    Unicode case mapping (ICU) for lower()/upper()
// and those of the spatial joins (join_functions.hpp).
void register_filter_functions(sqlite3* db);

}  // namespace amis::store::gpkg
