#pragma once
// The group-by of Store::aggregate for both SQL backends: the select list and
// grouping from checked property names (quoted, never client text spliced), the
// WHERE clause from query_where with its bound values.
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "store/store.hpp"

namespace amis::store {

// "SELECT <keys as text>, count(*), <sums> FROM <table><where> GROUP BY 1..n LIMIT ?"
// (the limit, max_groups + 1, is the caller's last binding). `postgres` picks
// the text cast and the sum's type. @throws core::InvalidValue for an unknown
// property, a sum of a property that is not a number, or too many of either.
std::string aggregate_sql(const core::Collection& collection, const Aggregate& aggregate, const std::string& table,
                          const std::string& where_sql, bool postgres);

// Orders groups by their keys (bytes, null first) and cuts them to max_groups.
void finish_groups(std::vector<AggregateGroup>& groups, const Aggregate& aggregate, bool& truncated);

}  // namespace amis::store
