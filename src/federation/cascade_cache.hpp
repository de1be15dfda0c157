#pragma once
// The cascade's bounded memory: what was read from nodes (pages of features,
// map images), by the URL asked, kept for a time to live and within a size
// (least recently used dropped first). A warm cache answers a cascaded request
// without asking the node; the node stays authoritative (what it changes shows
// after the TTL at the latest). `Value` tells its size in `bytes`.
#include <chrono>
#include <cstddef>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "federation/remote_page.hpp"

namespace amis::federation {

template <class Value>
class BoundedCache {
 public:
  BoundedCache(std::size_t max_bytes, std::chrono::milliseconds ttl) : max_bytes_(max_bytes), ttl_(ttl) {}

  // The value kept under `key` while it is fresh; null otherwise.
  std::shared_ptr<const Value> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    if (std::chrono::steady_clock::now() >= it->second->expires) {
      drop(it->second);
      return nullptr;
    }
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }

  // Keeps the value unless it alone is larger than the bound.
  void put(const std::string& key, std::shared_ptr<const Value> value) {
    const std::size_t size = value->bytes + key.size() + sizeof(Entry);
    if (size > max_bytes_ || ttl_.count() <= 0) return;
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) drop(it->second);
    while (!order_.empty() && bytes_ + size > max_bytes_) drop(std::prev(order_.end()));
    order_.push_front({key, std::move(value), std::chrono::steady_clock::now() + ttl_, size});
    index_.emplace(key, order_.begin());
    bytes_ += size;
  }

  std::size_t bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
  }
  std::size_t entries() const {
    std::lock_guard lock(mutex_);
    return index_.size();
  }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Value> value;
    std::chrono::steady_clock::time_point expires;
    std::size_t bytes = 0;
  };
  void drop(typename std::list<Entry>::iterator it) {
    bytes_ -= it->bytes;
    index_.erase(it->key);
    order_.erase(it);
  }

  const std::size_t max_bytes_;
  const std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

using CascadeCache = BoundedCache<RemotePage>;

}  // namespace amis::federation
