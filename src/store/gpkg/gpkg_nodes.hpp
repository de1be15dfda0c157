#pragma once
// The registry of national nodes in the GeoPackage store: amis_nodes,
// amis_harvested and amis_harvest_runs.
#include <memory>
#include <mutex>
#include <string>

#include "store/node_store.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

class GpkgNodes final : public NodeStore {
 public:
  // Opens the store at `path`, creating the tables when missing.
  explicit GpkgNodes(const std::string& path);

  void add(const federation::Node& node) override;
  std::vector<federation::Node> nodes() override;
  std::optional<federation::Node> node(std::string_view name) override;
  bool remove(std::string_view name) override;
  void set_schedule_state(std::string_view name, std::int64_t next_run, std::int64_t failures) override;
  bool set_settings(std::string_view name, const federation::NodeSettings& settings) override;
  std::vector<federation::HarvestedEntry> harvested(std::string_view node) override;
  std::vector<federation::HarvestedPage> harvested_pages(std::string_view node) override;
  void save_harvested_pages(std::string_view node, const std::vector<federation::HarvestedPage>& pages) override;
  void save_harvested(std::string_view node, const std::vector<federation::HarvestedEntry>& put,
                      const std::vector<std::string>& removed) override;
  std::int64_t add_run(const federation::HarvestRun& run) override;
  std::vector<federation::HarvestRun> runs(std::string_view node, std::int64_t limit) override;
  // Publications (gpkg_publications.cpp).
  void add_publication(const federation::Publication& publication) override;
  std::vector<federation::Publication> publications() override;
  std::optional<federation::Publication> publication(std::string_view collection) override;
  bool remove_publication(std::string_view collection) override;
  void set_publication_state(std::string_view collection, const std::string& synced,
                             const std::string& error) override;
  std::vector<federation::MirroredFeature> mirrored(std::string_view collection) override;
  void save_sync_report(const federation::SyncReport& report) override;
  std::optional<federation::SyncReport> sync_report(std::string_view node) override;
  void save_mirrored(std::string_view collection, const std::vector<federation::MirroredFeature>& put,
                     const std::vector<std::string>& removed) override;

 private:
  std::mutex mutex_;  // one connection, used by one caller at a time
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
