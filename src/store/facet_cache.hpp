#pragma once
// What the search of the whole catalogue (no condition) answers besides its
// records: the facet counts and the number of records, kept while the catalogue's
// records version (counted up by every record write, in the writer's transaction)
// stays the same. The portal opens on that search; without the cache every
// opening would count the facet terms of every record.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog_query.hpp"
#include "store/catalog_store.hpp"

namespace amis::store {

class WholeCatalogueCache {
 public:
  std::optional<std::vector<catalog::FacetBucket>> facet(std::int64_t version, catalog::FacetField field,
                                                         std::int64_t buckets);
  void keep_facet(std::int64_t version, catalog::FacetField field, std::int64_t buckets,
                  std::vector<catalog::FacetBucket> counts);
  std::optional<std::int64_t> size(std::int64_t version);
  void keep_size(std::int64_t version, std::int64_t size);

 private:
  void at(std::int64_t version);  // forgets what another version answered; under mutex_

  std::mutex mutex_;
  std::int64_t version_ = -1;
  std::map<std::pair<catalog::FacetField, std::int64_t>, std::vector<catalog::FacetBucket>> facets_;
  std::optional<std::int64_t> size_;
};

// Facet buckets of one query counted together, (field, value, count) rows in any
// order, as the search answers them: per field by count descending, then value,
// at most `buckets` each, in the order of `fields`.
struct FacetRow {
  catalog::FacetField field;
  std::string value;
  std::int64_t count;
};
std::vector<catalog::Facet> facets_of(std::vector<FacetRow> rows, const std::vector<catalog::FacetField>& fields,
                                      std::int64_t buckets);

// The facet counts of every match of a full-text query (q alone), every facet field,
// kept for the records version they were counted in, like the query's ranked list
// whose count they go with: the portal asks for the facets again with every page of
// a search, and a word in a third of 1,000,000 records took 6 ms to count each time.
// At most kMaxLists queries and kMaxRows facet rows in all (least recently used
// forgotten; a catalogue of free keywords can have a row per record); a new version
// forgets all.
class ListFacetsCache {
 public:
  static constexpr std::size_t kMaxLists = 1024;
  static constexpr std::size_t kMaxRows = 1'000'000;
  std::shared_ptr<const std::vector<FacetRow>> find(std::int64_t version, const std::string& match);
  void keep(std::int64_t version, const std::string& match, std::shared_ptr<const std::vector<FacetRow>> rows);

 private:
  struct Held {
    std::shared_ptr<const std::vector<FacetRow>> rows;
    std::uint64_t used = 0;
  };
  std::mutex mutex_;
  std::int64_t version_ = -1;
  std::uint64_t clock_ = 0;
  std::size_t rows_ = 0;  // facet rows held in all lists
  std::map<std::string, Held, std::less<>> lists_;
};

// What a backend counts with, for complete_summary.
struct SearchCounts {
  std::function<std::int64_t()> records_version;  // amis_catalog_state.records_version
  std::function<std::int64_t()> matched;          // every match of the query
  std::function<std::vector<catalog::Facet>()> facets;  // the query's facets over its matches
  std::function<std::vector<catalog::FacetBucket>(catalog::FacetField)> whole_facet;  // over every record
};

// Sets summary.matched (when the query counts) and summary.facets after the records
// were pushed (summary.returned): the count from the page when it holds every match,
// the whole catalogue's count and facets from `whole` while its version stands.
void complete_summary(const catalog::CatalogQuery& query, SearchSummary& summary, WholeCatalogueCache& whole,
                      const SearchCounts& counts);

}  // namespace amis::store
