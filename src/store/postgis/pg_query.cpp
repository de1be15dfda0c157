#include "store/postgis/pg_query.hpp"

#include "core/error.hpp"
#include "store/postgis/pg_schema.hpp"

namespace amis::store::postgis {
namespace {

// PostGIS's name for a CQL2 spatial relation (the same DE-9IM definitions, by GEOS).
const char* postgis_function(const std::string& op) {
  if (op == "intersects") return "ST_Intersects";
  if (op == "equals") return "ST_Equals";
  if (op == "disjoint") return "ST_Disjoint";
  if (op == "touches") return "ST_Touches";
  if (op == "within") return "ST_Within";
  if (op == "overlaps") return "ST_Overlaps";
  if (op == "crosses") return "ST_Crosses";
  if (op == "contains") return "ST_Contains";
  throw core::InvalidParameter("filter", "unknown spatial function '" + op + "'");
}

std::string placeholder(std::size_t n, const Binding& binding, Params& params) {
  const std::string p = "$" + std::to_string(n);
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t>) {
          params.integer(v);
          return p;
        } else if constexpr (std::is_same_v<T, double>) {
          params.real(v);
          return p;
        } else if constexpr (std::is_same_v<T, bool>) {
          params.boolean(v);
          return p;
        } else if constexpr (std::is_same_v<T, Blob>) {
          params.bytes(v);
          return "ST_GeomFromWKB(" + p + ", 4326)";
        } else {
          params.text(v, oid::kText);
          return "(" + p + " COLLATE \"C\")";
        }
      },
      binding);
}

// GEOS's relate, behind ST_Touches, ST_Crosses and ST_Overlaps, builds the graph
// of both geometries for every row (a 4,000-vertex polygon against the demo's
// 1,000 mines took 33 s), while PostGIS prepares a repeated literal once for
// ST_Intersects, ST_ContainsProperly and ST_Covers. Each of the three relations
// implies that the geometries intersect, and that the literal does not hold the
// column's geometry: touching needs disjoint interiors (so the literal does not
// contain it properly), crossing and overlapping a part outside (so the literal
// does not cover it). The prepared tests, written first (the planner keeps the
// order of equally costly terms), settle every row but the few on the literal's
// boundary; the result is the same. The literal is the last binding; each
// further '?' binds it again.
std::string prepared_prefilter(const std::string& op, const std::string& column, std::vector<Binding>& bindings) {
  const char* holds = op == "touches" ? "ST_ContainsProperly" : "ST_Covers";
  if (op != "touches" && op != "crosses" && op != "overlaps") return "";
  const Binding literal = bindings.back();
  bindings.push_back(literal);
  bindings.push_back(literal);
  return "ST_Intersects(" + column + ", ?) AND NOT " + holds + "(?, " + column + ") AND ";
}

}  // namespace

std::string PgDialect::json_array(const std::vector<JsonArrayElement>& elements) const {
  std::string sql = "CAST(jsonb_build_array(";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const auto& e = elements[i];
    sql += (i ? ", " : "") + (e.array ? "CAST(" + e.sql + " AS jsonb)" : e.sql);
  }
  return sql + ") AS text)";
}

std::string PgDialect::integer_division(const std::string& a, const std::string& b) const {
  return "trunc(CAST(" + a + " AS double precision) / " + b + ")::bigint";
}

std::string PgDialect::spatial(const std::string& op, const std::string& a, const std::string& b,
                               const core::Expression* literal, std::vector<Binding>& bindings) const {
  // ST_Intersects & co. carry their index condition (&&) themselves: the GiST
  // index narrows the candidates whenever one side is the column. A feature
  // without geometry is in no relation (false, not NULL, as in the GeoPackage
  // store, so that NOT S_INTERSECTS(...) includes it): the IS NOT NULL terms
  // make the condition two-valued and stay plain ANDed quals for the planner.
  // (A literal, '?', is never NULL and must not be written twice.)
  std::string sql = "(";
  if (literal && b == "?") sql += prepared_prefilter(op, a, bindings);
  sql += std::string(postgis_function(op)) + "(" + a + ", " + b + ")";
  if (a != "?") sql += " AND " + a + " IS NOT NULL";
  if (!literal && b != "?") sql += " AND " + b + " IS NOT NULL";
  return sql + ")";
}

std::string PgDialect::spatial_join(const SpatialJoinSql& join, std::vector<Binding>& bindings) const {
  // The other collection's GiST index narrows the candidates: ST_Within carries
  // its own index condition; for a distance, && with amis_search_box (pg_schema.cpp,
  // the same box as the GeoPackage store's) does, and ST_DWithin on geography
  // with use_spheroid = false measures the great-circle distance on the sphere of
  // WGS 84's mean radius (core/sphere_distance.hpp).
  const std::string& g = join.outer_geometry;
  std::string sql = "EXISTS (SELECT 1 FROM " + feature_table(join.other->id) + " AS amis_j WHERE ";
  if (join.within_distance) {
    sql += "amis_j.geom && amis_search_box(" + g + ", ?) AND ST_DWithin(CAST(" + g +
           " AS geography), CAST(amis_j.geom AS geography), ?, false)";
    bindings.emplace_back(join.metres);
    bindings.emplace_back(join.metres);
  } else {
    sql += "ST_Within(" + g + ", amis_j.geom)";
  }
  if (!join.condition.empty()) {
    sql += " AND " + join.condition;
    bindings.insert(bindings.end(), join.condition_bindings.begin(), join.condition_bindings.end());
  }
  return sql + ")";
}

SqlWhere where_clause(const core::Collection& collection, const core::FeatureQuery& query) {
  return query_where(collection, query, PgDialect());
}

std::string PgDialect::bbox(const std::vector<core::Envelope>& boxes, std::optional<std::int64_t>,
                            std::vector<Binding>& bindings) const {
  std::string any;
  for (const auto& box : boxes) {
    // The box as ST_Envelope of its diagonal: a zero-width or zero-height box is then the
    // point or line it is (ST_MakeEnvelope makes a collapsed polygon that intersects nothing,
    // where the GeoPackage store's closed box selects a point on it).
    any += std::string(any.empty() ? "" : " OR ") +
           "ST_Intersects(geom, ST_SetSRID(ST_Envelope(ST_MakeLine(ST_MakePoint(?, ?), ST_MakePoint(?, ?))), 4326))";
    for (double v : {box.min_x, box.min_y, box.max_x, box.max_y}) bindings.emplace_back(v);
  }
  return boxes.size() == 1 ? any : "(" + any + ")";
}

std::string select_list(const core::Collection& collection) { return query_select_list(collection, "ST_AsBinary(geom)"); }

std::string order_by(const core::Collection& collection, const core::FeatureQuery& query) {
  return query_order_by(collection, query, true);
}

std::string numbered(const std::string& sql, const std::vector<Binding>& bindings, Params& params) {
  std::string out;
  out.reserve(sql.size() + bindings.size() * 8);
  std::size_t next = 0;
  char quote = 0;  // inside '…' or "…"
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      if (next >= bindings.size()) throw core::ServerError("more placeholders than values in a query");
      out += placeholder(params.size() + 1, bindings[next++], params);
    } else {
      out += c;
    }
  }
  if (next != bindings.size()) throw core::ServerError("more values than placeholders in a query");
  return out;
}

}  // namespace amis::store::postgis
