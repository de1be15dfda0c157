#include "store/catalog_conditions.hpp"

#include "core/error.hpp"

namespace amis::store {

void check_paging(const catalog::CatalogQuery& query) {
  if (query.offset < 0) throw core::InvalidParameter("offset", "must be 0 or more");
  if (query.limit && *query.limit < 0) throw core::InvalidParameter("limit", "must be 0 or more");
}

void add_in_list(std::string& sql, std::vector<Binding>& bindings, const std::string& column,
                 const std::vector<std::string>& values) {
  sql += " AND " + column + " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    bindings.emplace_back(values[i]);
  }
  sql += ")";
}

void add_temporal_overlap(std::string& sql, std::vector<Binding>& bindings, const core::TimeInterval& t) {
  sql += " AND (time_start IS NOT NULL OR time_end IS NOT NULL)";
  if (t.end) {
    sql += " AND (time_start IS NULL OR time_start <= ?)";
    bindings.emplace_back(*t.end);
  }
  if (t.start) {
    sql += " AND (time_end IS NULL OR time_end >= ?)";
    bindings.emplace_back(*t.start);
  }
}

std::vector<core::Envelope> antimeridian_boxes(const core::Envelope& e) {
  if (e.min_x <= e.max_x) return {e};
  return {{e.min_x, e.min_y, 180, e.max_y}, {-180, e.min_y, e.max_x, e.max_y}};
}

}  // namespace amis::store
