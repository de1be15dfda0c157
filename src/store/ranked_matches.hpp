#pragma once
// The matches of a full-text search in rank order (best first, then by id), for one
// records version, kept between searches: a search for "copper" on 1,000,000 records
// scored its 300,000 matches with bm25 and sorted them, every time, for each bbox and
// datetime it was combined with. Kept, the next search for the same words walks this
// list against the extents in memory (record_extents.hpp) and stops counting at its
// end: no scoring, no join, no sort.
//
// Keyed by the store's MATCH expression and the records version it was read at;
// lists of an older version are dropped when a newer one is kept, and the least
// recently used go first beyond kMaxHeld record numbers or kMaxLists lists.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace amis::store {

class RankedMatchesCache {
 public:
  using Ranked = std::vector<std::uint32_t>;  // record numbers, best first
  // Record numbers held over all lists (4 bytes each); a longer list is not kept.
  static constexpr std::size_t kMaxHeld = 32'000'000;
  static constexpr std::size_t kMaxLists = 4096;

  // The list of `match` at `version`; nullptr when not held.
  std::shared_ptr<const Ranked> find(std::int64_t version, const std::string& match);
  void keep(std::int64_t version, const std::string& match, std::shared_ptr<const Ranked> ranked);
  std::size_t held() const;

 private:
  struct Entry {
    std::int64_t version;
    std::string match;
    std::shared_ptr<const Ranked> ranked;
  };
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> where_;  // by match
  std::int64_t version_ = 0;  // the newest version kept
  std::size_t held_ = 0;
};

}  // namespace amis::store
