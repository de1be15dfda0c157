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
#include "store/filter_compiler.hpp"
#include "store/query_where.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

using store::Binding;
using store::Blob;
using store::SqlWhere;

// SQLite's spelling of a filter: spatial predicates by GEOS (amis_spatial) behind
// the GeoPackage R-tree.
class GpkgDialect final : public FilterDialect {
 public:
  explicit GpkgDialect(const core::Collection& collection) : collection_(collection) {}
  const char* false_condition() const override { return "(0)"; }
  std::string not_true(const std::string& condition) const override { return "(" + condition + " IS NOT 1)"; }
  const char* real_type() const override { return "REAL"; }
  std::string integer_division(const std::string& a, const std::string& b) const override {
    return "CAST(" + a + " / " + b + " AS INTEGER)";
  }
  const char* derived_table_alias() const override { return ""; }
  std::string json_array(const std::vector<JsonArrayElement>& elements) const override;
  std::string bbox(const std::vector<core::Envelope>& boxes, std::optional<std::int64_t> after,
                   std::vector<Binding>& bindings) const override;
  std::string spatial(const std::string& op, const std::string& a, const std::string& b,
                      const core::Expression* literal, std::vector<Binding>& bindings) const override;
  std::string spatial_join(const SpatialJoinSql& join, std::vector<Binding>& bindings) const override;
  std::unique_ptr<FilterDialect> for_collection(const core::Collection& other) const override {
    return std::make_unique<GpkgDialect>(other);
  }

 private:
  const core::Collection& collection_;
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
