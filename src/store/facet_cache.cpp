#include "store/facet_cache.hpp"

#include <algorithm>

#include "store/catalog_conditions.hpp"

namespace amis::store {

void WholeCatalogueCache::at(std::int64_t version) {
  if (version == version_) return;
  version_ = version;
  facets_.clear();
  size_.reset();
}

std::optional<std::vector<catalog::FacetBucket>> WholeCatalogueCache::facet(std::int64_t version,
                                                                           catalog::FacetField field,
                                                                           std::int64_t buckets) {
  const std::lock_guard lock(mutex_);
  at(version);
  auto it = facets_.find({field, buckets});
  if (it == facets_.end()) return std::nullopt;
  return it->second;
}

void WholeCatalogueCache::keep_facet(std::int64_t version, catalog::FacetField field, std::int64_t buckets,
                                     std::vector<catalog::FacetBucket> counts) {
  const std::lock_guard lock(mutex_);
  at(version);
  facets_[{field, buckets}] = std::move(counts);
}

std::optional<std::int64_t> WholeCatalogueCache::size(std::int64_t version) {
  const std::lock_guard lock(mutex_);
  at(version);
  return size_;
}

void WholeCatalogueCache::keep_size(std::int64_t version, std::int64_t size) {
  const std::lock_guard lock(mutex_);
  at(version);
  size_ = size;
}

std::shared_ptr<const std::vector<FacetRow>> ListFacetsCache::find(std::int64_t version, const std::string& match) {
  const std::lock_guard lock(mutex_);
  if (version != version_) return nullptr;
  auto it = lists_.find(match);
  if (it == lists_.end()) return nullptr;
  it->second.used = ++clock_;
  return it->second.rows;
}

void ListFacetsCache::keep(std::int64_t version, const std::string& match,
                           std::shared_ptr<const std::vector<FacetRow>> rows) {
  const std::lock_guard lock(mutex_);
  if (version < version_) return;  // counted in a snapshot older than what is held
  if (version > version_) {
    lists_.clear();
    rows_ = 0;
    version_ = version;
  }
  if (rows->size() > kMaxRows) return;  // counted again each time rather than held
  if (auto same = lists_.find(match); same != lists_.end()) {
    rows_ -= same->second.rows->size();
    lists_.erase(same);
  }
  while (!lists_.empty() && (lists_.size() >= kMaxLists || rows_ + rows->size() > kMaxRows)) {
    auto oldest = std::ranges::min_element(lists_, {}, [](const auto& entry) { return entry.second.used; });
    rows_ -= oldest->second.rows->size();
    lists_.erase(oldest);
  }
  rows_ += rows->size();
  lists_[match] = {std::move(rows), ++clock_};
}

std::vector<catalog::Facet> facets_of(std::vector<FacetRow> rows, const std::vector<catalog::FacetField>& fields,
                                      std::int64_t buckets) {
  std::ranges::sort(rows, [](const FacetRow& a, const FacetRow& b) {
    if (a.field != b.field) return a.field < b.field;
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  std::vector<catalog::Facet> out;
  for (auto field : fields) {
    catalog::Facet facet{field, {}};
    for (const auto& row : rows)
      if (row.field == field && static_cast<std::int64_t>(facet.buckets.size()) < buckets)
        facet.buckets.push_back({row.value, row.count});
    out.push_back(std::move(facet));
  }
  return out;
}

void complete_summary(const catalog::CatalogQuery& query, SearchSummary& summary, WholeCatalogueCache& whole,
                      const SearchCounts& counts) {
  const bool everything = unconstrained(query);
  const std::int64_t version = everything ? counts.records_version() : 0;
  if (query.count) {
    const bool all_returned = query.offset == 0 && (!query.limit || summary.returned < *query.limit);
    if (all_returned) {
      summary.matched = summary.returned;
    } else if (auto size = everything ? whole.size(version) : std::nullopt) {
      summary.matched = *size;
    } else {
      summary.matched = counts.matched();
      if (everything) whole.keep_size(version, *summary.matched);
    }
  }
  if (query.facets.empty()) return;
  if (!everything) {
    summary.facets = counts.facets();
    return;
  }
  for (auto field : query.facets) {
    auto buckets = whole.facet(version, field, query.facet_buckets);
    if (!buckets) {
      buckets = counts.whole_facet(field);
      whole.keep_facet(version, field, query.facet_buckets, *buckets);
    }
    summary.facets.push_back({field, std::move(*buckets)});
  }
}

}  // namespace amis::store
