#include "store/catalog_conditions.hpp"

#include <algorithm>

#include "catalog/any_text.hpp"
#include "core/error.hpp"
#include "store/catalog_filter.hpp"

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

std::vector<std::string> any_text_parts(const catalog::CatalogQuery& query) {
  std::vector<std::string> out;
  for (const auto& word : query.any_text)
    for (auto& part : catalog::any_text_index_parts(word))
      if (std::ranges::find(out, part) == out.end()) out.push_back(std::move(part));
  return out;
}

void add_any_text_conditions(std::string& sql, const catalog::CatalogQuery& query,
                             const std::function<void(const core::Collection&, const core::Expression&)>& compile) {
  for (const auto& word : query.any_text) {
    sql += " AND ";
    compile_record_filter(catalog::any_text_condition(word), compile);
  }
}

bool unconstrained(const catalog::CatalogQuery& query) {
  return query.q.empty() && query.any_text.empty() && !query.bbox && !query.datetime && query.types.empty() &&
         query.ids.empty() && query.external_ids.empty() && !query.filter;
}

std::vector<core::Envelope> antimeridian_boxes(const core::Envelope& e) {
  if (e.min_x <= e.max_x) return {e};
  return {{e.min_x, e.min_y, 180, e.max_y}, {-180, e.min_y, e.max_x, e.max_y}};
}

}  // namespace amis::store
