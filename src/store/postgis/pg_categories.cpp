#include "store/postgis/pg_categories.hpp"

namespace amis::store::postgis {

void CategoryCache::put(const std::string& collection, std::string updated,
                        std::map<std::string, PropertyValues> properties) {
  std::lock_guard lock(mutex_);
  entries_[collection] = Entry{std::move(updated), std::move(properties)};
}

std::optional<std::vector<std::string>> CategoryCache::values(const std::string& collection,
                                                              const std::string& updated,
                                                              const std::string& property, std::size_t max) {
  std::lock_guard lock(mutex_);
  const auto entry = entries_.find(collection);
  if (entry == entries_.end() || entry->second.updated != updated) return std::nullopt;
  const auto p = entry->second.properties.find(property);
  if (p == entry->second.properties.end()) return std::nullopt;
  if (p->second.overflowed) {
    if (max < PropertyValues::kTracked) return std::vector<std::string>{};  // more than max for sure
    return std::nullopt;
  }
  if (p->second.values.size() > max) return std::vector<std::string>{};
  return std::vector<std::string>(p->second.values.begin(), p->second.values.end());
}

}  // namespace amis::store::postgis
