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
//
// A list is read on a thread of the cache's own when a search asks for one it does not
// hold (request()); that search, and those until the list is there, are answered in
// SQL as before. So no search waits for a whole list to be scored and sorted (2.9 s
// for a word in every one of 1,000,000 records), and a catalogue written all the time
// (a harvest) costs at most a quarter of a core in lists read again.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace amis::store {

class RankedMatchesCache {
 public:
  using Ranked = std::vector<std::uint32_t>;  // record numbers, best first
  // Record numbers held over all lists (4 bytes each); a longer list is not kept.
  static constexpr std::size_t kMaxHeld = 32'000'000;
  static constexpr std::size_t kMaxLists = 4096;
  // Lists asked for and not read yet, at most (more are not asked for).
  static constexpr std::size_t kMaxWaiting = 64;

  // Reads the list of a MATCH expression ("": every record, by id) in one snapshot of the
  // store; returns the records version read and the list (nullptr: it cannot be held).
  using Read = std::function<std::pair<std::int64_t, std::shared_ptr<const Ranked>>(const std::string& match)>;
  explicit RankedMatchesCache(Read read) : read_(std::move(read)) {}
  ~RankedMatchesCache();
  RankedMatchesCache(const RankedMatchesCache&) = delete;
  RankedMatchesCache& operator=(const RankedMatchesCache&) = delete;

  // The list of `match` at `version`; nullptr when not held.
  std::shared_ptr<const Ranked> find(std::int64_t version, const std::string& match);
  // Asks for the list of `match` at the store's current version to be read in the background.
  void request(const std::string& match);
  void keep(std::int64_t version, const std::string& match, std::shared_ptr<const Ranked> ranked);
  std::size_t held() const;
  // Waits until no list is waiting or being read (tests, benchmarks).
  void wait_idle();

 private:
  struct Entry {
    std::int64_t version;
    std::string match;
    std::shared_ptr<const Ranked> ranked;
  };
  void read_waiting();

  Read read_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> waiting_;
  std::unordered_set<std::string> asked_;  // waiting or being read
  bool stopping_ = false;
  std::thread reader_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> where_;  // by match
  std::int64_t version_ = 0;  // the newest version kept
  std::size_t held_ = 0;
};

}  // namespace amis::store
