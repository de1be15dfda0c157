#pragma once
// The spatial and temporal extent of every record, in memory, for one records version:
// what a search's bbox and datetime conditions read, so that a ranked full-text search
// with them is one pass over its ranked matches (store/ranked_matches.hpp) instead of
// SQL joining each match to its row. The conditions are the SQL ones exactly
// (catalog_sql.cpp add_bbox, catalog_conditions.cpp add_temporal_overlap): the
// extent's bounds compared as doubles, a bound that is NULL meeting no box; the
// temporal bounds compared as text (SQLite's BINARY collation), through their ranks
// among the distinct values held.
//
// Built in the background (RecordExtentsCache) like the facet index.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/datetime.hpp"
#include "core/envelope.hpp"
#include "store/background_index.hpp"

namespace amis::store {

class RecordExtents {
  static constexpr std::uint32_t kNoTime = 0xFFFFFFFFu;
  struct Extent {
    double min_x, min_y, max_x, max_y;  // NaN where the row's bound is NULL
    std::uint32_t start, end;           // ranks among the distinct times; kNoTime: NULL
  };

 public:
  // Record numbers below this only (40 bytes each): beyond, no index is built.
  static constexpr std::int64_t kMaxFid = 16'000'000;

  class Builder {
   public:
    // False once a record number is out of range: the caller stops reading.
    bool add(std::int64_t fid, std::optional<core::Envelope> extent, std::optional<std::string_view> start,
             std::optional<std::string_view> end);
    std::optional<RecordExtents> finish(std::int64_t version) &&;

   private:
    std::uint32_t time_id(std::optional<std::string_view> t);
    std::vector<Extent> extents_;
    std::vector<bool> held_;
    std::unordered_map<std::string, std::uint32_t> times_;  // each distinct time: its number in order met
    bool failed_ = false;
  };

  // A search's bbox and datetime, as comparisons against the held extents.
  struct Window {
    std::vector<core::Envelope> boxes;  // any of them (antimeridian_boxes); none: no bbox
    bool timed = false;                 // a datetime: a record must have a time
    std::optional<std::uint32_t> starts_below;  // start rank < this (the datetime's end)
    std::optional<std::uint32_t> ends_from;     // end rank >= this (the datetime's start)
  };
  Window window(const std::optional<core::Envelope>& bbox, const std::optional<core::TimeInterval>& datetime) const;
  // Whether record `fid` of this version meets the window (false for a number it does not hold).
  bool meets(std::uint32_t fid, const Window& w) const;
  // The records that meet the window, a bit each by record number: one pass in record
  // order, cheaper than meets() for each of many matches in rank order (each of those
  // a cache miss).
  std::vector<std::uint64_t> bitmap(const Window& w) const;
  std::size_t records() const { return extents_.size(); }

  std::int64_t version() const { return version_; }

 private:
  std::vector<Extent> extents_;      // by record number
  std::vector<bool> held_;           // whether a record of this number exists
  std::vector<std::string> times_;   // distinct times, sorted
  std::int64_t version_ = 0;
};

// The extents of the catalogue's current records version.
using RecordExtentsCache = BackgroundIndex<RecordExtents>;

}  // namespace amis::store
