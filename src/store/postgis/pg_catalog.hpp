#pragma once
// The catalogue in the PostGIS store (tables: pg_catalog_schema.hpp), answering
// as the GeoPackage catalogue does: searches stream their rows through the
// pool's single-row mode (flat memory whatever the limit); writers load through
// COPY into a staging table and replace the records in one transaction.
#include <memory>

#include "store/catalog_store.hpp"
#include "store/facet_cache.hpp"
#include "store/postgis/pg_pool.hpp"

namespace amis::store::postgis {

class PostgisCatalog final : public CatalogStore {
 public:
  // The pool's database must have the catalogue's tables (ensure_schema).
  explicit PostgisCatalog(Pool& pool) : pool_(pool) {}

  void put(const catalog::Record& record) override;
  bool remove(std::string_view id) override;
  std::optional<catalog::Record> record(std::string_view id) override;
  std::unique_ptr<RecordWriter> writer() override;
  std::int64_t sources_version() override;
  std::string records_tag() override;
  std::int64_t derived_version() override;
  std::int64_t replace_derived(const std::vector<catalog::Record>& records, std::int64_t sources_version) override;
  SearchSummary search(const catalog::CatalogQuery& query, RecordSink& sink) override;
  std::int64_t size() override;

 private:
  Pool& pool_;  // the store's (PostgisStore::pool()), which outlives the catalogue
  WholeCatalogueCache whole_;
};

}  // namespace amis::store::postgis
