#include "api/features/count_cache.hpp"

namespace amis::api::features {

std::string CountCache::key(const core::Collection& collection, const std::string& conditions) {
  return collection.id + '\n' + collection.updated + '\n' + std::to_string(collection.feature_count) + '\n' +
         conditions;
}

std::optional<std::int64_t> CountCache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void CountCache::put(const std::string& key, std::int64_t count) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->second = count;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.emplace_front(key, count);
  index_.emplace(key, order_.begin());
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
}

}  // namespace amis::api::features
