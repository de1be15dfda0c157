#pragma once
// The SQL of the utilization tables that both backends share: the tables' columns,
// the upsert that adds counts, and the report's SELECT. Placeholders are the
// dialect's (SQLite "?", PostgreSQL "$n"); every value is bound, and the only
// identifiers spliced are this file's own column names.
#include <functional>
#include <string>
#include <vector>

#include "core/usage.hpp"

namespace amis::store::usage_sql {

inline constexpr const char* kHourly = "amis_usage_hourly";
inline constexpr const char* kDaily = "amis_usage_daily";

// The key columns of a count table, in UsageKey's order.
inline constexpr const char* kKeyColumns =
    "period, collection, service, operation, format, status_class, client_class, country";

// The DDL of the two count tables (hourly and daily), in the
// dialect's types (`text` is the text type with its collation, `integer` and `real`).
std::string count_tables_ddl(const std::string& text, const std::string& integer, const std::string& real);

// The column counting features returned, added to the count tables and the raw
// events after their first release (an older store gains it, 0 for earlier rows).
inline constexpr const char* kFeaturesColumn = "features";
inline constexpr const char* kUsageTablesWithFeatures[] = {"amis_usage_hourly", "amis_usage_daily",
                                                           "amis_usage_events"};

// The placeholder of the n-th (1-based) parameter.
using Placeholder = std::function<std::string(int)>;

// INSERT ... ON CONFLICT DO UPDATE adding requests, bytes, latency and features;
// parameters are the key's eight values, then requests, bytes, latency_ms, features.
std::string add_count(const std::string& table, const Placeholder& p);

// The column of a dimension.
const char* column(core::UsageDimension d);

// The report's SELECT: the group's columns, then sums of requests, bytes,
// latency_ms and features. `values` receives the parameters to bind, in order.
std::string report(const core::UsageQuery& q, const Placeholder& p, std::vector<std::string>& values);

// The visitors of a day range; parameters: from, to.
std::string visitors(const Placeholder& p);

}  // namespace amis::store::usage_sql
