#pragma once
// Utilization counts (issue 18): what the store keeps of the requests AMIS
// served. A count names a dataset, a service, an operation and the requester's
// country, never a person: no address, no User-Agent, no visitor digest.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace amis::core {

// The dimensions of one count. `period` is "2026-12-05T14" in the hourly table
// and "2026-12-05" in the daily one (UTC).
struct UsageKey {
  std::string period;
  std::string collection;    // an existing collection or layer, "" for none, "unknown" for any other name
  std::string service;       // features, wfs, wms, wmts, tiles, records, csw, portal, ...
  std::string operation;     // items, GetMap, GetFeature, tile, ...
  std::string format;        // the output format asked for ("" when the default)
  std::string status_class;  // "2xx", "3xx", "4xx", "5xx", "none" (the client left before an answer)
  std::string client_class;  // browser, gis, script, crawler, other
  std::string country;       // ISO 3166-1 alpha-3, or "unknown"
  auto operator<=>(const UsageKey&) const = default;
};

struct UsageTotals {
  std::int64_t requests = 0;
  std::int64_t bytes = 0;
  double latency_ms = 0;  // summed: the mean is latency_ms / requests
  std::int64_t features = 0;  // features returned (items, GetFeature, downloads, vector tiles made)
  UsageTotals& operator+=(const UsageTotals& o) {
    requests += o.requests;
    bytes += o.bytes;
    latency_ms += o.latency_ms;
    features += o.features;
    return *this;
  }
};

struct UsageCount {
  UsageKey key;
  UsageTotals totals;
};

// One request as kept for at most [usage] raw_event_days: the same fields as a
// count, at the millisecond.
struct UsageEventRow {
  std::int64_t time_ms = 0;
  UsageKey key;  // period: the day
  std::int64_t bytes = 0;
  double latency_ms = 0;
  std::int64_t features = 0;
};

// New visitors of a day (digests not seen before by this node that day), per
// collection ("" for the whole service).
struct VisitorCount {
  std::string day;
  std::string collection;
  std::int64_t visitors = 0;
};

// What one aggregation pass hands the store.
struct UsageBatch {
  std::vector<UsageCount> hourly;
  std::vector<UsageCount> daily;
  std::vector<VisitorCount> visitors;
  std::vector<UsageEventRow> events;
};

// The dimensions a report may group by (the columns of the count tables).
enum class UsageDimension { Period, Collection, Service, Operation, Format, StatusClass, ClientClass, Country };

struct UsageQuery {
  bool hourly = false;         // the hourly table, else the daily one
  std::string from, to;        // inclusive periods ("2026-12-01", "2026-12-05T13"); empty: open
  std::vector<UsageDimension> group_by;  // the rest is summed
  std::optional<std::string> collection, service, operation, country;  // equality filters
};

// One row of a report: the grouped dimensions' values in group_by's order.
struct UsageReportRow {
  std::vector<std::string> values;
  UsageTotals totals;
};

}  // namespace amis::core
