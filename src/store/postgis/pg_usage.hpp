#pragma once
// The utilization tables of the PostgreSQL store: the same tables and answers as
// gpkg/gpkg_usage.cpp. Every node adds its counts to the same rows.
#include <string>

#include "store/postgis/pg_pool.hpp"
#include "store/usage_store.hpp"

namespace amis::store::postgis {

class PgUsage final : public UsageStore {
 public:
  // The tables, for ensure_schema (pg_schema.cpp).
  static const std::string& schema();

  explicit PgUsage(Pool& pool) : pool_(pool) {}

  void add_usage(const core::UsageBatch& batch) override;
  std::int64_t forget_usage_events(std::int64_t before_ms) override;
  std::vector<core::UsageReportRow> usage_report(const core::UsageQuery& query) override;
  std::vector<core::VisitorCount> visitors(const std::string& from, const std::string& to) override;
  std::int64_t usage_event_count() override;

 private:
  Pool& pool_;
};

}  // namespace amis::store::postgis
