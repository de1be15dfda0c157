#include "store/query_where.hpp"

#include <charconv>

#include "core/datetime.hpp"
#include "core/error.hpp"

namespace amis::store {

SqlWhere query_where(const core::Collection& collection, const core::FeatureQuery& query,
                     const FilterDialect& dialect) {
  SqlWhere where;
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
    add(dialect.bbox(boxes, query.after, where.bindings));
  }
  if (query.datetime && collection.temporal_property) {
    const core::Property* property = collection.property(*collection.temporal_property);
    const std::string column = quote_identifier(*collection.temporal_property);
    // A date stands for its whole day: it matches when its day meets the interval,
    // so the bounds are cut to their dates.
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
    compile_filter(collection, *query.filter, dialect, condition, where.bindings, query.joined);
    add(condition);
  }
  if (query.ids) {
    std::string list;
    for (auto id : *query.ids) {
      list += list.empty() ? "?" : ", ?";
      where.bindings.emplace_back(id);
    }
    add(list.empty() ? dialect.false_condition() : "fid IN (" + list + ")");
  }
  for (const auto& eq : query.equals) {
    const core::Property* property = collection.property(eq.property);
    if (!property) throw core::UnknownParameter(eq.property);
    add(quote_identifier(property->name) + " = ?");
    where.bindings.push_back(property_value(*property, eq.value));
  }
  if (query.after) {  // keyset paging (core/feature_query.hpp)
    add("fid > ?");
    where.bindings.emplace_back(*query.after);
  }
  return where;
}

std::string query_select_list(const core::Collection& collection, const std::string& geometry) {
  std::string list = "fid, " + geometry;
  for (const auto& p : collection.properties) list += ", " + quote_identifier(p.name);
  return list;
}

std::string query_order_by(const core::Collection& collection, const core::FeatureQuery& query, bool spell_nulls) {
  std::string sql = " ORDER BY ";
  for (const auto& key : query.sortby) {
    const core::Property* p = collection.property(key.property);
    if (!p) throw core::InvalidParameter("sortby", "unknown property '" + key.property + "'");
    sql += quote_identifier(p->name) + (key.descending ? " DESC" : " ASC");
    if (spell_nulls) sql += key.descending ? " NULLS LAST" : " NULLS FIRST";
    sql += ", ";
  }
  return sql + "fid";
}

Binding property_value(const core::Property& property, const std::string& text) {
  switch (property.type) {
    case core::PropertyType::Integer: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || end != text.data() + text.size())
        throw core::InvalidParameter(property.name, "'" + text + "' is not an integer");
      return v;
    }
    case core::PropertyType::Real: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || end != text.data() + text.size())
        throw core::InvalidParameter(property.name, "'" + text + "' is not a number");
      return v;
    }
    case core::PropertyType::Boolean:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      throw core::InvalidParameter(property.name, "'" + text + "' is not true or false");
    case core::PropertyType::DateTime: {
      auto instant = core::parse_instant(text);
      if (!instant) throw core::InvalidParameter(property.name, "'" + text + "' is not a date-time");
      return *instant;
    }
    case core::PropertyType::Date:
    case core::PropertyType::Text: return text;
  }
  return text;
}


}  // namespace amis::store
