#pragma once
// The expert team's views of the usage counts (issue 18, work plan 4.3): how a member
// state's datasets are used and from where, month by month; and the monthly
// utilization report (totals, per dataset, per country, per service, top downloads,
// map views, per member state). Both are sums of the daily table's rows, so every
// number equals the sum of the matching rows of /usage/daily.
#include <functional>
#include <string>
#include <vector>

#include "core/usage.hpp"
#include "store/usage_store.hpp"

namespace amis::monitor {

// A dataset of a member state: a collection or raster layer whose catalogue record names the
// state ("record"), or a collection holding features of the state by its country property
// ("features", with how many). A collection of several states' features is each one's: its
// use is the whole collection's, shown under every state it holds features of.
struct StateDataset {
  std::string collection;
  std::string relation;  // "record" or "features"
  std::int64_t features = 0;
};
// The datasets of a state (ISO alpha-3), from the catalogue and the stores.
using DatasetsOf = std::function<std::vector<StateDataset>(const std::string& iso3)>;
// The name a report shows for a collection: itself, or "restricted" for one the caller may not read.
using ShownName = std::function<std::string(const std::string& collection)>;

// A month ("2026-12"): its first and last day ("2026-12-01", "2026-12-31").
std::string first_day(const std::string& month);
std::string last_day(const std::string& month);
// Whether `text` is a month YYYY-MM.
bool is_month(std::string_view text);

// One row of the member-state view: a month's requests to one of the state's datasets from
// one requester country.
struct StateUsageRow {
  std::string month;
  std::string collection;
  std::string relation;
  std::string country;  // the requester's
  core::UsageTotals totals;
};

// The use of `datasets` in the months from..to (inclusive), by month, dataset and requester
// country, in that order. Datasets the caller may not see (shown as "restricted") are left out.
std::vector<StateUsageRow> member_state_usage(store::UsageStore& store, const std::vector<StateDataset>& datasets,
                                              const std::string& from_month, const std::string& to_month,
                                              const ShownName& shown);

// One line of a monthly table: a key (a dataset, a country, a service, ...) and its sums.
struct ReportLine {
  std::string key;
  core::UsageTotals totals;
};
struct ReportTable {
  std::string id;  // totals, datasets, countries, services, downloads, mapViews, memberStates, memberStateDatasets
  std::vector<ReportLine> lines;  // most requested first, ties by key
};
struct MonthlyUsage {
  std::string month;
  std::vector<ReportTable> tables;
};

// The formats that are whole-file downloads, and the (service, operation) pairs that draw a
// map: the same lists the portal's Usage page uses (web/src/usage/usage-data.ts).
bool is_download_format(std::string_view format);
bool is_map_view(std::string_view service, std::string_view operation);

// The month's report. `member_states`: the states of the per-member-state tables (requests
// from each; requests to each one's datasets). The usage API's own requests are left out, as
// the portal leaves them out.
MonthlyUsage monthly_usage(store::UsageStore& store, const std::string& month,
                           const std::vector<std::string>& member_states, const DatasetsOf& datasets_of,
                           const ShownName& shown);

// Work plan activity 4.3's utilization figure for one member state: the requests to its
// datasets (those the caller may see) in a period, with the features and bytes they returned.
struct StateUtilization {
  std::string state;                   // ISO alpha-3
  std::int64_t datasets = 0;           // its datasets counted
  core::UsageTotals totals;            // the sums of the daily table's rows of those datasets
};

// Each of `member_states`' utilization in the days from..to (inclusive, YYYY-MM-DD), in the
// states' order; the usage API's own requests left out, as in the monthly report.
std::vector<StateUtilization> member_state_utilization(store::UsageStore& store, const std::string& from_day,
                                                       const std::string& to_day,
                                                       const std::vector<std::string>& member_states,
                                                       const DatasetsOf& datasets_of, const ShownName& shown);

}  // namespace amis::monitor
