#include "store/aggregate_sql.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "store/filter_compiler.hpp"

namespace amis::store {
namespace {

const core::Property& property_of(const core::Collection& collection, const std::string& name) {
  const auto* p = collection.property(name);
  if (!p) throw core::InvalidValue(name.substr(0, 64), "collection " + collection.id + " has no property '" +
                                                           name.substr(0, 64) + "'");
  return *p;
}

}  // namespace

std::string aggregate_sql(const core::Collection& collection, const Aggregate& aggregate, const std::string& table,
                          const std::string& where_sql, bool postgres) {
  if (aggregate.group_by.size() > 8 || aggregate.sums.size() > 8)
    throw core::InvalidValue("aggregate", "at most 8 properties to group by and 8 to sum");
  std::string select, group;
  for (std::size_t i = 0; i < aggregate.group_by.size(); ++i) {
    const auto column = quote_identifier(property_of(collection, aggregate.group_by[i]).name);
    select += postgres ? column + "::text, " : "CAST(" + column + " AS TEXT), ";
    group += (i ? ", " : "") + std::to_string(i + 1);
  }
  select += "count(*)";
  for (const auto& name : aggregate.sums) {
    const auto& p = property_of(collection, name);
    if (p.type != core::PropertyType::Integer && p.type != core::PropertyType::Real)
      throw core::InvalidValue(name.substr(0, 64), "property '" + name.substr(0, 64) + "' of " + collection.id +
                                                       " is not a number: it cannot be summed");
    const auto column = quote_identifier(p.name);
    select += postgres ? ", sum(" + column + ")::float8" : ", sum(" + column + ")";
  }
  std::string sql = "SELECT " + select + " FROM " + table + where_sql;
  if (!group.empty()) sql += " GROUP BY " + group;
  return sql + " LIMIT ?";
}

void finish_groups(std::vector<AggregateGroup>& groups, const Aggregate& aggregate, bool& truncated) {
  std::sort(groups.begin(), groups.end(), [](const AggregateGroup& a, const AggregateGroup& b) { return a.keys < b.keys; });
  truncated = static_cast<std::int64_t>(groups.size()) > aggregate.max_groups;
  if (truncated) groups.resize(static_cast<std::size_t>(aggregate.max_groups));
}

}  // namespace amis::store
