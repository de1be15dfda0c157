#pragma once
// The utilization tables (issue 18): hourly and daily counts kept for ever, the
// visitors of each day, and raw events kept a configured number of days. Only
// the background aggregator (monitor/usage_aggregator) writes; the usage API reads.
#include <cstdint>
#include <vector>

#include "core/usage.hpp"

namespace amis::store {

class UsageStore {
 public:
  virtual ~UsageStore() = default;

  // Adds the batch's counts to the counts already kept for the same keys (any
  // node may add to the same rows) and appends its events, in one transaction.
  virtual void add_usage(const core::UsageBatch& batch) = 0;

  // Deletes raw events older than `before_ms` (milliseconds since the epoch).
  // Returns how many went.
  virtual std::int64_t forget_usage_events(std::int64_t before_ms) = 0;

  // The counts of the query's table grouped by its dimensions, in the order of
  // those dimensions' values.
  virtual std::vector<core::UsageReportRow> usage_report(const core::UsageQuery& query) = 0;

  // New visitors per day and collection ("" for all), days from..to inclusive.
  virtual std::vector<core::VisitorCount> visitors(const std::string& from, const std::string& to) = 0;

  // Raw events kept (for the retention check and operators).
  virtual std::int64_t usage_event_count() = 0;
};

}  // namespace amis::store
