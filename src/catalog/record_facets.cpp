#include "catalog/record_facets.hpp"

#include <algorithm>
#include <unordered_map>

namespace amis::catalog {

std::vector<std::string> distinct_values(std::vector<std::string> values) {
  std::vector<std::string> out;
  for (auto& v : values)
    if (!v.empty() && std::ranges::find(out, v) == out.end()) out.push_back(std::move(v));
  return out;
}

std::vector<std::string> theme_values(const Record& record) {
  std::vector<std::string> out = record.topic_categories;
  for (const auto& g : record.keywords)
    if (!g.thesaurus.empty()) out.insert(out.end(), g.keywords.begin(), g.keywords.end());
  return out;
}

std::vector<std::string> facet_values(const Record& record, FacetField field) {
  switch (field) {
    case FacetField::Keyword: return distinct_values(record.all_keywords());
    case FacetField::Theme: return distinct_values(theme_values(record));
    case FacetField::Format: return distinct_values(record.formats());
    case FacetField::Type: return distinct_values({record.type});
    case FacetField::Country: return distinct_values({record.country});
  }
  return {};
}

std::vector<Facet> count_facets(const std::vector<Record>& records, const std::vector<FacetField>& fields,
                                std::int64_t buckets) {
  std::vector<Facet> out;
  for (const FacetField field : fields) {
    std::unordered_map<std::string, std::int64_t> counts;
    for (const auto& r : records)
      for (auto& v : facet_values(r, field)) ++counts[std::move(v)];
    Facet facet{field, {}};
    for (auto& [value, count] : counts) facet.buckets.push_back({value, count});
    std::ranges::sort(facet.buckets, [](const FacetBucket& a, const FacetBucket& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    facet.buckets.resize(std::min(facet.buckets.size(), static_cast<std::size_t>(std::max<std::int64_t>(0, buckets))));
    out.push_back(std::move(facet));
  }
  return out;
}

}  // namespace amis::catalog
