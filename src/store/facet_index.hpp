#pragma once
// The facet terms of every record, in memory, for one records version: each term's
// records (a posting list of record numbers), as the terms table holds them in its
// (field, value, fid) order. Facets over a search with many matches
// are then one pass over the postings against a bitmap of the matches, where SQL
// looked each match's terms up: "mine" on 1,000,000 records matched 363,320 of them
// and its facets took 1.4 s at the median and 27 s at the 99th percentile; a few
// matches are still counted in SQL (the pass costs what the catalogue holds).
//
// Built in the background (FacetIndexCache) when a search finds it missing or of an
// older version; until then searches count in SQL, so answers never wait for it
// and are the same either way.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "store/facet_cache.hpp"

namespace amis::store {

class FacetIndex {
  struct Term {
    catalog::FacetField field;
    std::string value;
    std::vector<std::uint32_t> fids;  // in the order read
  };

 public:
  // At most this many (term, record) pairs and record numbers below kMaxFid: beyond,
  // no index is built and facets stay in SQL (memory stays bounded: 4 bytes a pair,
  // a bit a record number).
  static constexpr std::int64_t kMaxPostings = 64'000'000;
  static constexpr std::int64_t kMaxFid = 256'000'000;

  // Takes the terms in (field, value, fid) order, as the terms table's key holds them.
  class Builder {
   public:
    // False once the index cannot hold the catalogue (too many pairs or a record number
    // too large): the caller stops reading.
    bool add(catalog::FacetField field, std::string_view value, std::int64_t fid);
    // nullopt when an add() returned false.
    std::optional<FacetIndex> finish(std::int64_t version) &&;

   private:
    std::vector<Term> terms_;
    std::map<std::pair<catalog::FacetField, std::string>, std::size_t> where_;  // each term's place
    std::size_t current_ = 0;  // the term of the last add()
    std::int64_t postings_ = 0;
    std::int64_t max_fid_ = 0;
    bool failed_ = false;
  };

  // The matches of one search, given one by one (each once), then counted.
  class Matches {
   public:
    explicit Matches(const FacetIndex& index) : index_(index), bits_((index.max_fid_ >> 6) + 1, 0) {}
    void add(std::int64_t fid);
    std::int64_t count() const { return count_; }
    // (field, value, count) of every term of `fields` with at least one match.
    std::vector<FacetRow> facet_rows(const std::vector<catalog::FacetField>& fields) const;

   private:
    const FacetIndex& index_;
    std::vector<std::uint64_t> bits_;
    std::int64_t count_ = 0;
  };

  std::int64_t version() const { return version_; }
  std::int64_t postings() const { return postings_; }
  // Whether counting `matches` of the catalogue's records here beats SQL's lookups.
  bool worth_it(std::int64_t matches) const;

 private:
  std::vector<Term> terms_;
  std::int64_t version_ = 0;
  std::int64_t postings_ = 0;
  std::int64_t max_fid_ = 0;
};

// The index of the catalogue's current records version, rebuilt in the background
// when the version moves on; a build at most every few times its own duration, so
// that a catalogue written all the time (a harvest) spends at most a fifth of a
// core on it.
class FacetIndexCache {
 public:
  // Reads every facet term into the builder (in one read transaction) and returns the
  // records version it read; runs on the cache's own thread.
  using Scan = std::function<std::int64_t(FacetIndex::Builder&)>;
  explicit FacetIndexCache(Scan scan) : scan_(std::move(scan)) {}
  ~FacetIndexCache();
  FacetIndexCache(const FacetIndexCache&) = delete;
  FacetIndexCache& operator=(const FacetIndexCache&) = delete;

  // The index of `version` when it is built; otherwise nullptr, and a build starts
  // unless one is under way or the last ended too recently.
  std::shared_ptr<const FacetIndex> at(std::int64_t version);
  // Waits until no build is under way (tests).
  void wait_idle();

 private:
  void build();

  Scan scan_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::shared_ptr<const FacetIndex> index_;
  bool building_ = false;
  std::chrono::steady_clock::time_point next_build_{};
  std::thread thread_;
};

}  // namespace amis::store
