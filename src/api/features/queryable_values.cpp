#include "api/features/queryable_values.hpp"

namespace amis::api::features {

std::map<std::string, std::vector<std::string>> QueryableValues::of(const core::Collection& collection) {
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(collection.id);
    if (it != entries_.end() && it->second.updated == collection.updated) return it->second.values;
  }
  Entry entry{collection.updated, {}};
  for (const auto& p : collection.properties) {
    if (p.type != core::PropertyType::Text) continue;
    auto values = store_.text_values(collection, p.name, kMaxValues);
    if (!values.empty()) entry.values.emplace(p.name, std::move(values));
  }
  std::lock_guard lock(mutex_);
  return (entries_[collection.id] = std::move(entry)).values;
}

}  // namespace amis::api::features
