#pragma once
// A harvest's pages fetched one ahead: while the harvest writes page N into the
// catalogue, a thread of its own asks the node for page N+1 and reads it, so that
// the node's answer, the listing and the store's writes overlap instead of taking
// turns (on PostgreSQL a first harvest spent 44% of its time with every core idle).
// The source is called from that one thread only, in order; its pages come out in
// the order it gave them, with its failures where they happened. That thread also
// reads (parses, validates) the records the harvest will take, so that this work
// too overlaps the writes: an item's read() then gives what was read, or throws
// what reading threw. At most one page waits ahead of the one being written:
// memory stays that of three pages and their records.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "federation/harvest.hpp"

namespace amis::federation {

// What the source gave for one call of next_page().
struct PrefetchedPage {
  std::optional<SourcePage> page;  // nullopt with no error: the listing ended
  std::optional<std::string> error;  // next_page() threw: its message
  bool resumable = false;            // after an error: whether the listing goes on (source.resumable())
};

class PagePrefetch {
 public:
  // Which items the harvest will read (new or changed ones); called on the fetching thread.
  using Wanted = std::function<bool(const SourceItem&)>;

  // Starts fetching at once. The source (and what `wanted` reads) must outlive this object.
  explicit PagePrefetch(HarvestSource& source, Wanted wanted = {});
  ~PagePrefetch();  // stops the thread (after the exchange it is in, bounded by the node's timeouts)
  PagePrefetch(const PagePrefetch&) = delete;
  PagePrefetch& operator=(const PagePrefetch&) = delete;

  // The next page, failure or end, waiting for it when it is not there yet. After
  // the end, a failure of the first page or a failure the listing cannot go on
  // from, nothing more comes: do not call again.
  PrefetchedPage next();

  // Time spent in next() waiting for the source: the part of the node's time the
  // harvest's own work did not hide.
  double blocked_seconds() const { return blocked_; }

 private:
  void fetch_all();
  bool push(PrefetchedPage page);  // false when stopping

  HarvestSource& source_;
  Wanted wanted_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<PrefetchedPage> ready_;
  bool stopping_ = false;
  double blocked_ = 0;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace amis::federation
