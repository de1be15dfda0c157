#pragma once
// The WHERE clause of a FeatureQuery — bbox, datetime, filter, ids and
// `property=value` — for every SQL store, in the store's FilterDialect. Values are
// bindings with '?' placeholders in the order of the text, never spliced in.
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store {

struct SqlWhere {
  std::string sql;  // " WHERE ..." or empty
  std::vector<Binding> bindings;
};

// @throws InvalidParameter when a filter or a `property=value` value does not fit
// its property's type; UnknownParameter for `property=value` on no property.
SqlWhere query_where(const core::Collection& collection, const core::FeatureQuery& query,
                     const FilterDialect& dialect);

// "fid, <geometry>, "p1", "p2", ..." for the collection's properties.
std::string query_select_list(const core::Collection& collection, const std::string& geometry);

// " ORDER BY ..." for `sortby`, always ending with fid so that paging is stable.
// NULLs sort first ascending, as SQLite sorts them; `spell_nulls` writes that out
// for an engine whose default differs (PostgreSQL).
// @throws InvalidParameter("sortby", ...) naming an unknown property.
std::string query_order_by(const core::Collection& collection, const core::FeatureQuery& query, bool spell_nulls);

// The bound value of `property=value` (OGC API - Features 7.15.5) for the
// property's type: dates and text as given, date-times canonical (RFC 3339 UTC).
// @throws InvalidParameter(property) when the value does not fit the type.
Binding property_value(const core::Property& property, const std::string& text);

}  // namespace amis::store
