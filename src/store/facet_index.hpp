#pragma once
// The facet terms of every record, in memory, for one records version: each record's
// terms (numbers of the distinct terms, by record number). The facets of a search are
// then counted from its matches, a few increments each, where SQL looked each match's
// terms up: "mine" on 1,000,000 records matched 363,320 of them and its facets took
// 1.4 s at the median and 27 s at the 99th percentile in SQL. The cost follows the
// matches, so a search with a few matches counts its facets in microseconds too.
//
// Term numbers are held as narrow as the catalogue's distinct terms allow (a byte for up
// to 256 terms, as ASEAN+3 metadata has: 14 terms a record, 14 MB for 1,000,000 records
// where 4 bytes a term took 56 MB). A search whose matches are spread over the whole
// catalogue reads each match's terms from a different place: held small enough to stay
// in the processor's last-level cache, and asked for ahead of use (prefetch), that is a
// cache hit rather than a trip to memory ("gold", 49,471 of 1,000,000 records: its
// facets took 7.7 ms with the search, 4.4 ms now; docs/csw.md).
//
// Built in the background (FacetIndexCache) when a search finds it missing or of an
// older version; until then searches count in SQL, so answers never wait for it
// and are the same either way.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "store/background_index.hpp"
#include "store/facet_cache.hpp"

namespace amis::store {

class FacetIndex {
  struct Term {
    catalog::FacetField field;
    std::string value;
  };

 public:
  // At most this many (term, record) pairs and record numbers below kMaxFid: beyond,
  // no index is built and facets stay in SQL (memory stays bounded: 4 bytes a pair,
  // 4 bytes a record number).
  static constexpr std::int64_t kMaxPostings = 64'000'000;
  static constexpr std::int64_t kMaxFid = 32'000'000;

  // Takes the terms record by record, in record number order (the terms table's
  // (fid, field) index), a record's terms in any order.
  class Builder {
   public:
    // False once the index cannot hold the catalogue (too many pairs, a record number
    // too large or out of order): the caller stops reading.
    bool add(std::int64_t fid, catalog::FacetField field, std::string_view value);
    // nullopt when an add() returned false.
    std::optional<FacetIndex> finish(std::int64_t version) &&;

   private:
    std::vector<Term> terms_;
    std::unordered_map<std::string, std::uint32_t> where_;  // field and value: the term's number
    std::string key_;
    std::vector<std::uint32_t> starts_;    // record number: its first place in terms_of_
    std::vector<std::uint32_t> terms_of_;  // every record's term numbers
    bool failed_ = false;
  };

  // The matches of one search, given one by one (each once), then counted: their
  // terms read in record order (the matches come in rank order; reading each one's
  // terms as it comes was a cache miss each, 200 ms for 1,000,000 matches).
  class Matches {
   public:
    explicit Matches(const FacetIndex& index) : index_(index), bits_((index.starts_.size() >> 6) + 1, 0) {}
    void add(std::int64_t fid);
    std::int64_t count() const { return count_; }
    // (field, value, count) of every term of `fields` with at least one match.
    std::vector<FacetRow> facet_rows(const std::vector<catalog::FacetField>& fields) const;

   private:
    const FacetIndex& index_;
    std::vector<std::uint64_t> bits_;  // the matches held by the index, by record number
    std::int64_t count_ = 0;
  };

  std::int64_t version() const { return version_; }
  std::int64_t postings() const { return starts_.empty() ? 0 : starts_.back(); }
  // Bytes a term number takes: 1, 2 or 4, the fewest that number every distinct term.
  int term_width() const { return !narrow_.empty() ? 1 : !half_.empty() ? 2 : 4; }

 private:
  static constexpr std::size_t kTables = 4;  // count tables a search fills in turn
  template <typename TermNumber>
  void count_terms(const std::vector<TermNumber>& terms, const std::vector<std::uint32_t>& fids,
                   std::vector<std::uint32_t>& tables) const;

  std::vector<Term> terms_;
  std::vector<std::uint32_t> starts_;  // one more than the record numbers held
  // Every record's term numbers, in the one of these that fits the number of terms.
  std::vector<std::uint8_t> narrow_;
  std::vector<std::uint16_t> half_;
  std::vector<std::uint32_t> wide_;
  std::int64_t version_ = 0;
};

// The facet index of the catalogue's current records version (background_index.hpp).
using FacetIndexCache = BackgroundIndex<FacetIndex>;

}  // namespace amis::store
