#include "store/gpkg/gpkg_query.hpp"

#include "core/error.hpp"
#include "store/gpkg/gpkg_schema.hpp"

namespace amis::store::gpkg {
namespace {

using sqlite::quote_identifier;

}  // namespace

SqlWhere where_clause(const core::Collection& collection, const core::FeatureQuery& query) {
  return query_where(collection, query, GpkgDialect(collection));
}

std::string GpkgDialect::json_array(const std::vector<JsonArrayElement>& elements) const {
  std::string sql = "json_array(";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const auto& e = elements[i];
    std::string element = e.sql;
    if (e.array) element = "json(" + e.sql + ")";  // kept as JSON, not as a string
    else if (e.boolean)  // SQLite's 1 and 0 as JSON's true and false
      element = "(CASE WHEN " + e.sql + " IS NULL THEN NULL WHEN " + e.sql + " THEN json('true') ELSE json('false') END)";
    sql += (i ? ", " : "") + element;
  }
  return sql + ")";
}

std::string GpkgDialect::bbox(const std::vector<core::Envelope>& boxes, std::optional<std::int64_t> after,
                              std::vector<Binding>& bindings) const {
  // The R-tree narrows the candidates; amis_intersects_bbox decides exactly.
  std::string candidates, exact;
  for (const auto& box : boxes) {
    candidates += std::string(candidates.empty() ? "" : " OR ") + "fid IN (SELECT id FROM " +
                  quote_identifier(rtree_name(collection_.id)) +
                  " WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?" + (after ? " AND id > ?)" : ")");
    for (double v : {box.max_x, box.min_x, box.max_y, box.min_y}) bindings.emplace_back(v);
    // A keyset page's candidates start after its key: the rows before it are never read
    // (a page at feature 500,000 of a broad box: 37 ms instead of 106).
    if (after) bindings.emplace_back(*after);
  }
  for (const auto& box : boxes) {
    exact += std::string(exact.empty() ? "" : " OR ") + "amis_intersects_bbox(geom, ?, ?, ?, ?)";
    for (double v : {box.min_x, box.min_y, box.max_x, box.max_y}) bindings.emplace_back(v);
  }
  return boxes.size() == 1 ? candidates + " AND " + exact : "(" + candidates + ") AND (" + exact + ")";
}

std::string GpkgDialect::spatial(const std::string& op, const std::string& a, const std::string& b,
                                 const core::Expression* literal, std::vector<Binding>& bindings) const {
  const std::string test = "amis_spatial('" + op + "', " + a + ", " + b + ")";
  // Every relation but disjoint implies that the envelopes meet: let the R-tree
  // narrow the candidates when the column is compared with a literal.
  if (op == "disjoint" || !literal) return "(" + test + " = 1)";
  const core::Envelope env = literal_envelope(*literal);
  const std::string prefilter = "fid IN (SELECT id FROM " + quote_identifier(rtree_name(collection_.id)) +
                                " WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)";
  // The R-tree's values come first in the SQL text, so insert their bindings
  // before the geometry literal's.
  bindings.insert(bindings.end() - 1, {env.max_x, env.min_x, env.max_y, env.min_y});
  return "(" + prefilter + " AND " + test + ")";
}

std::string GpkgDialect::spatial_join(const SpatialJoinSql& join, std::vector<Binding>& bindings) const {
  // The other collection's R-tree gives the candidates for each filtered feature
  // (a correlated rowid IN, so only amis_j is in the condition's scope); GEOS, or
  // the great-circle distance, decides. The outer geometry's box comes from its
  // GeoPackage header (ST_MinX ...), or for a distance from amis_search_box.
  const std::string& g = join.outer_geometry;
  const std::string rtree = quote_identifier(rtree_name(join.other->id));
  std::string sql = "EXISTS (SELECT 1 FROM " + quote_identifier(join.other->id) + " AS amis_j WHERE amis_j.fid IN (SELECT id FROM " + rtree;
  if (join.within_distance) {
    sql += " WHERE minx <= amis_search_box(" + g + ", ?, 2) AND maxx >= amis_search_box(" + g +
           ", ?, 0) AND miny <= amis_search_box(" + g + ", ?, 3) AND maxy >= amis_search_box(" + g +
           ", ?, 1)) AND amis_dwithin(" + g + ", amis_j.geom, ?) = 1";
    for (int i = 0; i < 5; ++i) bindings.emplace_back(join.metres);
  } else {
    sql += " WHERE minx <= ST_MinX(" + g + ") AND maxx >= ST_MaxX(" + g + ") AND miny <= ST_MinY(" + g +
           ") AND maxy >= ST_MaxY(" + g + ")) AND amis_within(" + g + ", amis_j.geom) = 1";
  }
  if (!join.condition.empty()) {
    sql += " AND " + join.condition;
    bindings.insert(bindings.end(), join.condition_bindings.begin(), join.condition_bindings.end());
  }
  return sql + ")";
}

std::optional<SqlWhere> bbox_count(const core::Collection& collection, const core::FeatureQuery& query) {
  if (!query.bbox || query.filter || query.ids || !query.equals.empty() ||
      (query.datetime && collection.temporal_property) || query.bbox->min_x > query.bbox->max_x)
    return std::nullopt;
  const auto& b = *query.bbox;
  const std::string rtree = quote_identifier(rtree_name(collection.id));
  const std::string inside = "minx >= ?1 AND maxx <= ?3 AND miny >= ?2 AND maxy <= ?4";
  SqlWhere count;
  count.sql = "SELECT (SELECT count(*) FROM " + rtree + " WHERE " + inside + ") + (SELECT count(*) FROM " +
              quote_identifier(collection.id) + " WHERE fid IN (SELECT id FROM " + rtree +
              " WHERE minx <= ?3 AND maxx >= ?1 AND miny <= ?4 AND maxy >= ?2 AND NOT (" + inside +
              ")) AND amis_intersects_bbox(geom, ?1, ?2, ?3, ?4))";
  for (double v : {b.min_x, b.min_y, b.max_x, b.max_y}) count.bindings.emplace_back(v);
  return count;
}

std::string select_list(const core::Collection& collection) { return query_select_list(collection, "geom"); }

std::string order_by(const core::Collection& collection, const core::FeatureQuery& query) {
  return query_order_by(collection, query, false);
}

int bind_all(sqlite::Statement& statement, const std::vector<Binding>& bindings, int first) {
  int index = first;
  for (const auto& b : bindings) {
    std::visit([&](const auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::string>)
        statement.bind(index, std::string_view(v));
      else if constexpr (std::is_same_v<T, Blob>)
        statement.bind_blob(index, v);
      else if constexpr (std::is_same_v<T, bool>)
        statement.bind(index, std::int64_t{v ? 1 : 0});
      else
        statement.bind(index, v);
    }, b);
    ++index;
  }
  return index;
}

}  // namespace amis::store::gpkg
