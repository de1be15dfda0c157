#include "store/postgis/pg_query.hpp"

#include "core/error.hpp"

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

}  // namespace

std::string PgDialect::integer_division(const std::string& a, const std::string& b) const {
  return "trunc(CAST(" + a + " AS double precision) / " + b + ")::bigint";
}

std::string PgDialect::spatial(const std::string& op, const std::string& a, const std::string& b,
                               const core::Expression* literal, std::vector<Binding>&) const {
  // ST_Intersects & co. carry their index condition (&&) themselves: the GiST
  // index narrows the candidates whenever one side is the column. A feature
  // without geometry is in no relation (false, not NULL, as in the GeoPackage
  // store, so that NOT S_INTERSECTS(...) includes it): the IS NOT NULL terms
  // make the condition two-valued and stay plain ANDed quals for the planner.
  // (A literal, '?', is never NULL and must not be written twice.)
  std::string sql = "(" + std::string(postgis_function(op)) + "(" + a + ", " + b + ")";
  if (a != "?") sql += " AND " + a + " IS NOT NULL";
  if (!literal && b != "?") sql += " AND " + b + " IS NOT NULL";
  return sql + ")";
}

PgWhere where_clause(const core::Collection& collection, const core::FeatureQuery& query) {
  PgWhere where;
  auto add = [&](const std::string& condition) {
    where.sql += where.sql.empty() ? " WHERE " : " AND ";
    where.sql += condition;
  };
  if (query.bbox) {
    // A box whose west edge lies east of its east edge crosses the antimeridian
    // (OGC API - Features Part 1, 7.15.3): it is the union of two boxes.
    std::vector<core::Envelope> boxes;
    const auto& b = *query.bbox;
    if (b.min_x <= b.max_x) {
      boxes.push_back(b);
    } else {
      boxes.push_back({b.min_x, b.min_y, 180, b.max_y});
      boxes.push_back({-180, b.min_y, b.max_x, b.max_y});
    }
    std::string any;
    for (const auto& box : boxes) {
      any += std::string(any.empty() ? "" : " OR ") + "ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))";
      for (double v : {box.min_x, box.min_y, box.max_x, box.max_y}) where.bindings.emplace_back(v);
    }
    add(boxes.size() == 1 ? any : "(" + any + ")");
  }
  if (query.datetime && collection.temporal_property) {
    const core::Property* property = collection.property(*collection.temporal_property);
    const std::string column = quote_identifier(*collection.temporal_property);
    // A date stands for its whole day: it matches when its day meets the interval.
    const bool dates = property && property->type == core::PropertyType::Date;
    auto bound = [dates](const std::string& instant) { return dates ? instant.substr(0, 10) : instant; };
    if (query.datetime->start) {
      add(column + " >= ?");
      where.bindings.emplace_back(bound(*query.datetime->start));
    }
    if (query.datetime->end) {
      add(column + " <= ?");
      where.bindings.emplace_back(bound(*query.datetime->end));
    }
  }
  if (query.filter) {
    std::string condition;
    compile_filter(collection, *query.filter, PgDialect(), condition, where.bindings);
    add(condition);
  }
  if (query.ids) {
    std::string list;
    for (auto id : *query.ids) {
      list += list.empty() ? "?" : ", ?";
      where.bindings.emplace_back(id);
    }
    add(list.empty() ? "FALSE" : "fid IN (" + list + ")");
  }
  for (const auto& eq : query.equals) {
    const core::Property* property = collection.property(eq.property);
    if (!property) throw core::UnknownParameter(eq.property);
    add(quote_identifier(property->name) + " = ?");
    where.bindings.push_back(property_value(*property, eq.value));
  }
  return where;
}

std::string select_list(const core::Collection& collection) {
  std::string list = "fid, ST_AsBinary(geom)";
  for (const auto& p : collection.properties) list += ", " + quote_identifier(p.name);
  return list;
}

std::string order_by(const core::Collection& collection, const core::FeatureQuery& query) {
  std::string sql = " ORDER BY ";
  for (const auto& key : query.sortby) {
    const core::Property* p = collection.property(key.property);
    if (!p) throw core::InvalidParameter("sortby", "unknown property '" + key.property + "'");
    sql += quote_identifier(p->name) + (key.descending ? " DESC NULLS LAST, " : " ASC NULLS FIRST, ");
  }
  return sql + "fid";
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
