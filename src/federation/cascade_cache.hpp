#pragma once
// The cascade's bounded memory: pages read from nodes, by the URL asked, kept
// for a time to live and within a size (least recently used dropped first). A
// warm cache answers a cascaded request without asking the node; the node stays
// authoritative (what it changes shows after the TTL at the latest).
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "federation/remote_page.hpp"

namespace amis::federation {

class CascadeCache {
 public:
  CascadeCache(std::size_t max_bytes, std::chrono::milliseconds ttl) : max_bytes_(max_bytes), ttl_(ttl) {}

  // The page kept under `key` while it is fresh; null otherwise.
  std::shared_ptr<const RemotePage> find(const std::string& key);
  // Keeps the page unless it alone is larger than the bound.
  void put(const std::string& key, std::shared_ptr<const RemotePage> page);

  std::size_t bytes() const;
  std::size_t entries() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const RemotePage> page;
    std::chrono::steady_clock::time_point expires;
    std::size_t bytes = 0;
  };
  void drop(std::list<Entry>::iterator it);

  const std::size_t max_bytes_;
  const std::chrono::milliseconds ttl_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
};

}  // namespace amis::federation
