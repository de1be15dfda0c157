#pragma once
// The scale-out store: collections, features, styles and raster metadata in a
// PostgreSQL 15 / PostGIS 3.3 database, answering exactly as the GeoPackage
// store does (store/gpkg/gpkg_store.hpp). Each collection is one table named
// after it: fid bigint, geom geometry(Geometry, 4326) with a GiST index, one
// column per property (text for dates and date-times, kept in RFC 3339 as the
// GeoPackage keeps them, so that filters and output are the same).
//
// Raster files: a database has no folder next to it, and several stateless nodes
// must find the same files, so the store is given a folder ([store] data_dir,
// default "data", a shared mount in a cluster) that plays the part of the
// GeoPackage file's folder: rasters/ (and the tile cache) live in it, and the
// table keeps paths relative to it ("rasters/<id>.tif") exactly as the GeoPackage
// store does, so a store copied either way finds its files.
#include <memory>
#include <string>

#include "store/health.hpp"
#include "store/postgis/pg_categories.hpp"
#include "store/postgis/pg_databases.hpp"
#include "store/query_where.hpp"
#include "store/store.hpp"

namespace amis::store::postgis {

class PostgisStore final : public Store, public HealthReporter {
 public:
  // Connects to the primary (creating the tables when missing) with at most
  // `pool_size` connections to each database; reads may go to the replicas.
  // @throws ConnectFailed (one line for the operator: detail()), core::ServerError
  // when the database lacks PostGIS.
  PostgisStore(DatabaseSettings databases, std::string folder);
  // One database, no replicas (tools and tests).
  PostgisStore(const std::string& url, std::size_t pool_size, std::string folder)
      : PostgisStore(DatabaseSettings{url, {}, pool_size, 30}, std::move(folder)) {}

  std::vector<core::Collection> collections() override;
  std::optional<core::Collection> collection(std::string_view id) override;
  void create_attribute_index(const core::Collection& collection, const std::vector<std::string>& properties) override;
  // Two at a time, on two connections, when the pool has a second one free.
  void create_attribute_indexes(const core::Collection& collection,
                                const std::vector<std::vector<std::string>>& indexes) override;
  std::int64_t count(const core::Collection& collection, const core::FeatureQuery& query) override;
  std::vector<AggregateGroup> aggregate(const core::Collection& collection, const core::FeatureQuery& query,
                                        const Aggregate& aggregate, bool& truncated) override;
  std::vector<std::string> text_values(const core::Collection& collection, const std::string& property,
                                       std::size_t max) override;
  std::int64_t features(const core::Collection& collection, const core::FeatureQuery& query,
                        core::FeatureSink& sink, std::int64_t* matched = nullptr) override;
  bool feature(const core::Collection& collection, std::int64_t id, core::FeatureSink& sink) override;
  std::unique_ptr<CollectionWriter> replace_collection(const core::Collection& metadata) override;
  void remove_collection(std::string_view id) override;
  std::vector<StoredStyle> styles(std::string_view collection) override;
  std::optional<StoredStyle> style(std::string_view collection, std::string_view name) override;
  void put_style(const StoredStyle& style) override;
  bool remove_style(std::string_view collection, std::string_view name) override;
  std::vector<RasterLayer> rasters() override;
  std::optional<RasterLayer> raster(std::string_view id) override;
  void put_raster(const RasterLayer& raster) override;
  bool replace_grid(const RasterLayer& raster, std::string_view based_on) override;
  StoreHealth health() override;

  // The pool, for the accounts and change sets of the same database (pg-edit) and /health.
  Pool& pool() { return databases_->primary(); }

 private:
  std::int64_t count_where(const core::Collection& collection, const SqlWhere& where);
  std::string index_statement(const core::Collection& collection, const std::vector<std::string>& properties);
  std::unique_ptr<Databases> databases_;
  CategoryCache categories_;
  std::string folder_;
};

}  // namespace amis::store::postgis
