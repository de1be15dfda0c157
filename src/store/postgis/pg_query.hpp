#pragma once
// A typed FeatureQuery as PostgreSQL/PostGIS SQL over a feature table, with the
// same meaning as the GeoPackage store's (store/gpkg/gpkg_query.hpp): the filter
// compiler is shared (store/filter_compiler.hpp); here are PostGIS's spatial
// predicates (ST_Intersects & co., which use the GiST index), bbox and ordering
// (NULLs first ascending, as SQLite sorts them). Values are bound, never spliced.
#include <string>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_query.hpp"
#include "store/filter_compiler.hpp"
#include "store/query_where.hpp"
#include "store/postgis/pg_connection.hpp"

namespace amis::store::postgis {

class PgDialect final : public FilterDialect {
 public:
  const char* false_condition() const override { return "FALSE"; }
  std::string not_true(const std::string& condition) const override { return "(" + condition + " IS NOT TRUE)"; }
  const char* real_type() const override { return "double precision"; }
  std::string integer_division(const std::string& a, const std::string& b) const override;
  const char* derived_table_alias() const override { return " AS amis_period"; }
  std::string json_array(const std::vector<JsonArrayElement>& elements) const override;
  std::string bbox(const std::vector<core::Envelope>& boxes, std::optional<std::int64_t> after,
                   std::vector<Binding>& bindings) const override;
  std::string spatial(const std::string& op, const std::string& a, const std::string& b,
                      const core::Expression* literal, std::vector<Binding>& bindings) const override;
  std::string spatial_join(const SpatialJoinSql& join, std::vector<Binding>& bindings) const override;
  std::unique_ptr<FilterDialect> for_collection(const core::Collection&) const override {
    return std::make_unique<PgDialect>();
  }
};

// @throws InvalidParameter when a filter or `property=value` does not fit.
SqlWhere where_clause(const core::Collection& collection, const core::FeatureQuery& query);

// "fid, ST_AsBinary(geom), "p1", ..." for the collection's properties.
std::string select_list(const core::Collection& collection);

// " ORDER BY ..." for `sortby`, always ending with fid so that paging is stable.
// @throws InvalidParameter("sortby", ...) naming an unknown property.
std::string order_by(const core::Collection& collection, const core::FeatureQuery& query);

// `sql` with its '?' placeholders numbered $1, $2 … (quoted names and strings
// are skipped); geometry literals become ST_GeomFromWKB($n, 4326) and text
// values compare bytewise (COLLATE "C", as SQLite's BINARY). `params` receives
// the values, typed.
std::string numbered(const std::string& sql, const std::vector<Binding>& bindings, Params& params);

}  // namespace amis::store::postgis
