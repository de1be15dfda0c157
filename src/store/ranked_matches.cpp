#include "store/ranked_matches.hpp"

#include <chrono>
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

RankedMatchesCache::~RankedMatchesCache() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (reader_.joinable()) reader_.join();
}

void RankedMatchesCache::request(const std::string& match) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || asked_.count(match) || waiting_.size() >= kMaxWaiting) return;
    asked_.insert(match);
    waiting_.push_back(match);
    if (!reader_.joinable()) reader_ = std::thread([this] { read_waiting(); });
  }
  changed_.notify_all();
}

void RankedMatchesCache::read_waiting() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (stopping_) return;
    const std::string match = waiting_.front();
    waiting_.pop_front();
    lock.unlock();
    const auto start = std::chrono::steady_clock::now();
    try {
      auto [version, ranked] = read_(match);
      keep(version, match, std::move(ranked));
    } catch (...) {
      // The store could not be read now (busy, closing): searches go on in SQL.
    }
    const auto took = std::chrono::steady_clock::now() - start;
    lock.lock();
    asked_.erase(match);
    changed_.notify_all();
    // At most a quarter of the time reading lists.
    changed_.wait_for(lock, 3 * took, [this] { return stopping_; });
  }
}

void RankedMatchesCache::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return asked_.empty(); });
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
