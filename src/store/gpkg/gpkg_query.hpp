#pragma once
// Turns a typed FeatureQuery into SQL for a GeoPackage feature table. Values are
// returned as bindings, never spliced into the text.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

using Blob = std::vector<std::uint8_t>;
using Binding = std::variant<std::int64_t, double, std::string, Blob>;

struct SqlWhere {
  std::string sql;  // " WHERE ..." or empty
  std::vector<Binding> bindings;
};

// @throws InvalidParameter when a `property=value` value does not fit the property's type.
SqlWhere where_clause(const core::Collection& collection, const core::FeatureQuery& query);

// A query whose only condition is a bbox (not crossing the antimeridian) is
// counted mostly from the R-tree: entries whose bounds lie inside the box match
// without reading their geometry (R-tree bounds are rounded outwards, so inside
// stays inside); only those crossing its edges are tested exactly. Returns the
// whole "SELECT ..." with bindings, or nullopt for any other query.
std::optional<SqlWhere> bbox_count(const core::Collection& collection, const core::FeatureQuery& query);

// "fid, geom, "p1", "p2", ..." for the collection's properties.
std::string select_list(const core::Collection& collection);

// " ORDER BY ..." for `sortby`, always ending with fid so that paging is stable.
// @throws InvalidParameter("sortby", ...) naming an unknown property.
std::string order_by(const core::Collection& collection, const core::FeatureQuery& query);

// Binds from index `first` on; returns the next free index.
int bind_all(sqlite::Statement& statement, const std::vector<Binding>& bindings, int first = 1);

}  // namespace amis::store::gpkg
