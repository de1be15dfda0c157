#pragma once
// Compiles a filter Expression (CQL2 today, FES tomorrow) to an SQLite condition
// over a GeoPackage feature table. Literals become bound parameters; property
// names are checked against the collection and quoted; spatial predicates use
// the R-tree to pre-filter and GEOS (amis_spatial) to decide.
#include "core/collection.hpp"
#include "core/expression.hpp"
#include "store/gpkg/gpkg_query.hpp"

namespace amis::store::gpkg {

// Appends the condition (without WHERE/AND) to `sql` and its values to `bindings`.
// @throws InvalidParameter("filter", ...) for an unknown property (named), a
// type mismatch or an operator this store does not support.
void compile_filter(const core::Collection& collection, const core::Expression& filter,
                    std::string& sql, std::vector<Binding>& bindings);

}  // namespace amis::store::gpkg
