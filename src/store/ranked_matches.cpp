#include "store/ranked_matches.hpp"

#include <utility>

namespace amis::store {

std::shared_ptr<const RankedMatchesCache::Ranked> RankedMatchesCache::find(std::int64_t version,
                                                                           const std::string& match) {
  std::lock_guard lock(mutex_);
  const auto it = where_.find(match);
  if (it == where_.end() || it->second->version != version) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return entries_.front().ranked;
}

void RankedMatchesCache::keep(std::int64_t version, const std::string& match, std::shared_ptr<const Ranked> ranked) {
  if (!ranked || ranked->size() > kMaxHeld) return;
  std::lock_guard lock(mutex_);
  if (version < version_) return;  // read before a newer version was kept: of no use
  if (version > version_) {  // every list held is of an older version
    entries_.clear();
    where_.clear();
    held_ = 0;
    version_ = version;
  }
  if (const auto it = where_.find(match); it != where_.end()) {  // two searches built it at once
    held_ -= it->second->ranked->size();
    entries_.erase(it->second);
    where_.erase(it);
  }
  held_ += ranked->size();
  entries_.push_front({version, match, std::move(ranked)});
  where_.emplace(match, entries_.begin());
  while (held_ > kMaxHeld || entries_.size() > kMaxLists) {
    held_ -= entries_.back().ranked->size();
    where_.erase(entries_.back().match);
    entries_.pop_back();
  }
}

std::size_t RankedMatchesCache::held() const {
  std::lock_guard lock(mutex_);
  return held_;
}

}  // namespace amis::store
