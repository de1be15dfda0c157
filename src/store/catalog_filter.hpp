#pragma once
// A catalogue filter (CQL2, OGC Filter over catalog/queryables.hpp) as the SQL
// filter compiler sees it, the same for every store backend: the record table's
// columns as a collection's properties, `datetime` as the interval of the
// temporal extent's two columns, and errors that point at the catalogue's
// queryables rather than a feature collection's.
#include <functional>

#include "catalog/queryables.hpp"
#include "core/collection.hpp"
#include "core/expression.hpp"
#include "core/feature_query.hpp"

namespace amis::store {

// The record table the catalogue's filters compile against (every backend names it so).
inline constexpr const char* kRecordTable = "amis_records";

// Runs `compile` (a backend's filter compiler) on the record columns and the
// rewritten filter. @throws core::InvalidParameter as the compiler does.
void compile_record_filter(const core::Expression& filter,
                           const std::function<void(const core::Collection&, const core::Expression&)>& compile);

// The sortable a sortby key names. @throws core::InvalidParameter("sortby", ...)
// for what is not one.
const catalog::Queryable& sortable(const core::SortKey& key);

}  // namespace amis::store
