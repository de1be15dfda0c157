#include "catalog/record_order.hpp"

#include <compare>
#include <string_view>

namespace amis::catalog {
namespace {

// <0, 0, >0 for one key, ascending; an empty (unknown) value first.
int compare_text(std::string_view a, std::string_view b) {
  if (a.empty() != b.empty()) return a.empty() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

int compare_key(const Record& a, const Record& b, std::string_view property) {
  if (property == "id") return compare_text(a.id, b.id);
  if (property == "type") return compare_text(a.type, b.type);
  if (property == "title") return compare_text(a.title, b.title);
  if (property == "country") return compare_text(a.country, b.country);
  if (property == "language") return compare_text(a.language, b.language);
  if (property == "license") return compare_text(a.licence, b.licence);
  if (property == "created") return compare_text(a.created, b.created);
  if (property == "updated") return compare_text(a.updated, b.updated);
  if (property == "published") return compare_text(a.published, b.published);
  if (property == "featureCount") {
    if (a.feature_count.has_value() != b.feature_count.has_value()) return a.feature_count ? 1 : -1;
    if (!a.feature_count) return 0;
    return *a.feature_count < *b.feature_count ? -1 : *a.feature_count > *b.feature_count ? 1 : 0;
  }
  return 0;
}

}  // namespace

bool ordered_before(const Record& a, const Record& b, const std::vector<core::SortKey>& sortby) {
  for (const auto& key : sortby) {
    const int c = compare_key(a, b, key.property);
    if (c != 0) return key.descending ? c > 0 : c < 0;
  }
  return a.id < b.id;
}

}  // namespace amis::catalog
