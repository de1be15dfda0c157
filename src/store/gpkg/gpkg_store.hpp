#pragma once
// The embedded store: one GeoPackage 1.3 file per AMIS instance, in WAL mode so
// that readers never wait for a writer.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/gpkg/gpkg_query.hpp"
#include "store/sqlite/connection_pool.hpp"
#include "store/sqlite/database.hpp"
#include "store/health.hpp"
#include "store/store.hpp"

namespace amis::store::gpkg {

class GpkgStore final : public Store, public HealthReporter {
 public:
  // Opens (creating when missing) the GeoPackage at `path`.
  // @throws OgcError when the file cannot be opened or is not a GeoPackage.
  explicit GpkgStore(std::string path);

  std::vector<core::Collection> collections() override;
  std::optional<core::Collection> collection(std::string_view id) override;
  void create_attribute_index(const core::Collection& collection, const std::vector<std::string>& properties) override;
  std::int64_t count(const core::Collection& collection, const core::FeatureQuery& query) override;
  std::vector<AggregateGroup> aggregate(const core::Collection& collection, const core::FeatureQuery& query,
                                        const Aggregate& aggregate, bool& truncated) override;
  std::vector<std::string> text_values(const core::Collection& collection, const std::string& property,
                                       std::size_t max) override;
  std::int64_t features(const core::Collection& collection, const core::FeatureQuery& query,
                        core::FeatureSink& sink, std::int64_t* matched = nullptr) override;
  bool feature(const core::Collection& collection, std::int64_t id,
               core::FeatureSink& sink) override;
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

  const std::string& path() const { return path_; }

 private:
  sqlite::ConnectionPool::Lease connect();
  std::unique_ptr<sqlite::Database> open();
  std::int64_t count_where(const core::Collection& collection, const SqlWhere& where);
  std::int64_t run_count(const SqlWhere& statement);  // a whole "SELECT count" statement

  std::string path_;
  sqlite::ConnectionPool pool_;
};

}  // namespace amis::store::gpkg
