#pragma once
// The utilization tables of the GeoPackage store (amis_usage_*), on a connection
// of their own: the aggregator writes every few seconds without taking the
// features' or the accounts' connections.
#include <memory>
#include <mutex>
#include <string>

#include "store/sqlite/database.hpp"
#include "store/usage_store.hpp"

namespace amis::store::gpkg {

class GpkgUsage final : public UsageStore {
 public:
  // Opens the store at `path` (creating the tables when missing).
  explicit GpkgUsage(const std::string& path);

  void add_usage(const core::UsageBatch& batch) override;
  std::int64_t forget_usage_events(std::int64_t before_ms) override;
  std::vector<core::UsageReportRow> usage_report(const core::UsageQuery& query) override;
  std::vector<core::VisitorCount> visitors(const std::string& from, const std::string& to) override;
  std::int64_t usage_event_count() override;

 private:
  std::mutex mutex_;
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
