#pragma once
// The order `sortby` gives catalogue records, computed on the records themselves for
// lists no store sorted (a distributed search's merge of the local answer and the
// nodes'): the stores' own order (catalog_order in store/*/catalog_sql.cpp) —
// each sortable compared byte by byte (numbers as numbers), an empty value first when
// ascending and last when descending, the id last.
#include <vector>

#include "catalog/record.hpp"
#include "core/feature_query.hpp"

namespace amis::catalog {

// Whether `a` comes before `b`. Keys that are no sortable are ignored (the caller
// checked them against catalog::queryables()).
bool ordered_before(const Record& a, const Record& b, const std::vector<core::SortKey>& sortby);

}  // namespace amis::catalog
