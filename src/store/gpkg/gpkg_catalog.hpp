#pragma once
// The catalogue in the GeoPackage store (catalog_rows.hpp holds the tables):
// searches on pooled read connections, writes in immediate transactions.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/catalog_store.hpp"
#include "store/facet_cache.hpp"
#include "store/facet_index.hpp"
#include "store/ranked_matches.hpp"
#include "store/record_extents.hpp"
#include "store/sqlite/connection_pool.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

class GpkgCatalog final : public CatalogStore {
 public:
  // Opens the store at `path`, creating the catalogue's tables when missing.
  explicit GpkgCatalog(std::string path);

  void put(const catalog::Record& record) override;
  bool remove(std::string_view id) override;
  std::optional<catalog::Record> record(std::string_view id) override;
  std::unique_ptr<RecordWriter> writer() override;
  std::unique_ptr<RecordWriter> bulk_writer() override;
  std::int64_t sources_version() override;
  std::string records_tag() override;
  std::int64_t derived_version() override;
  std::int64_t replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) override;
  SearchSummary search(const catalog::CatalogQuery& query, RecordSink& sink) override;
  std::int64_t size() override;
  // Waits for the builds of the indexes in memory under way (tests, benchmarks).
  void wait_for_indexes() {
    facet_index_.wait_idle();
    extents_.wait_idle();
    ranked_.wait_idle();
  }
  // Record numbers held in ranked lists (tests, metrics).
  std::size_t ranked_matches_held() const { return ranked_.held(); }

 private:
  // A search by full text, bbox and datetime from the lists in memory (ranked matches,
  // extents, facet terms); nullopt (nothing sent) when they cannot answer it now.
  std::optional<SearchSummary> search_in_memory(sqlite::Database& db, const catalog::CatalogQuery& query,
                                                 RecordSink& sink);
  // The facet counts of every match of a full-text query, every field, from the cache
  // or counted from its ranked list now.
  std::shared_ptr<const std::vector<FacetRow>> list_facets(std::int64_t version, const std::string& match,
                                                           const FacetIndex& index,
                                                           const RankedMatchesCache::Ranked& ranked);

  std::string path_;
  sqlite::ConnectionPool pool_;
  WholeCatalogueCache whole_;
  ListFacetsCache list_facets_;
  // After the pool: their builds read through it.
  FacetIndexCache facet_index_;
  RecordExtentsCache extents_;
  RankedMatchesCache ranked_;
};

}  // namespace amis::store::gpkg
