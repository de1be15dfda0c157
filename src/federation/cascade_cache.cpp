#include "federation/cascade_cache.hpp"

namespace amis::federation {

std::shared_ptr<const RemotePage> CascadeCache::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  if (std::chrono::steady_clock::now() >= it->second->expires) {
    drop(it->second);
    return nullptr;
  }
  order_.splice(order_.begin(), order_, it->second);
  return it->second->page;
}

void CascadeCache::put(const std::string& key, std::shared_ptr<const RemotePage> page) {
  const std::size_t size = page->bytes + key.size() + sizeof(Entry);
  if (size > max_bytes_ || ttl_.count() <= 0) return;
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) drop(it->second);
  while (!order_.empty() && bytes_ + size > max_bytes_) drop(std::prev(order_.end()));
  order_.push_front({key, std::move(page), std::chrono::steady_clock::now() + ttl_, size});
  index_.emplace(key, order_.begin());
  bytes_ += size;
}

void CascadeCache::drop(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  order_.erase(it);
}

std::size_t CascadeCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t CascadeCache::entries() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace amis::federation
