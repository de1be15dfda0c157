#include "monitor/usage_reports.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

namespace amis::monitor {
namespace {

using core::UsageDimension;

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Lines of summed totals, most requested first (ties by key), at most `top` (0: all).
std::vector<ReportLine> ranked(const std::map<std::string, core::UsageTotals>& sums, std::size_t top = 0) {
  std::vector<ReportLine> lines;
  for (const auto& [key, totals] : sums) lines.push_back({key, totals});
  std::stable_sort(lines.begin(), lines.end(),
                   [](const ReportLine& a, const ReportLine& b) { return a.totals.requests > b.totals.requests; });
  if (top > 0 && lines.size() > top) lines.resize(top);
  return lines;
}

// The month's rows of the daily table by collection, service, operation, format and country,
// collections renamed as the caller may see them, the usage API's own requests left out.
struct MonthRow {
  std::string collection, service, operation, format, country;
  core::UsageTotals totals;
};

std::vector<MonthRow> month_rows(store::UsageStore& store, const std::string& month, const ShownName& shown) {
  core::UsageQuery q;
  q.from = first_day(month);
  q.to = last_day(month);
  q.group_by = {UsageDimension::Collection, UsageDimension::Service, UsageDimension::Operation,
                UsageDimension::Format, UsageDimension::Country};
  std::vector<MonthRow> out;
  for (auto& r : store.usage_report(q)) {
    if (r.values[1] == "usage") continue;
    auto collection = r.values[0].empty() || r.values[0] == "unknown" ? r.values[0] : shown(r.values[0]);
    out.push_back({std::move(collection), r.values[1], r.values[2], r.values[3], r.values[4], r.totals});
  }
  return out;
}

}  // namespace

bool is_month(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12";
}

std::string first_day(const std::string& month) { return month + "-01"; }

std::string last_day(const std::string& month) {
  const int days = days_in_month(std::stoi(month.substr(0, 4)), std::stoi(month.substr(5, 2)));
  return month + "-" + std::to_string(days);
}

bool is_download_format(std::string_view format) {
  for (const char* f : {"csv", "kml", "gpkg", "shapezip", "flatgeobuf", "geotiff"})
    if (format == f) return true;
  return false;
}

bool is_map_view(std::string_view service, std::string_view operation) {
  return (service == "wms" && operation == "GetMap") || (service == "wmts" && operation == "GetTile") ||
         (service == "maps" && operation == "tile") || (service == "tiles" && operation == "tile");
}

std::vector<StateUsageRow> member_state_usage(store::UsageStore& store, const std::vector<StateDataset>& datasets,
                                              const std::string& from_month, const std::string& to_month,
                                              const ShownName& shown) {
  std::map<std::string, std::string, std::less<>> relation;  // collection -> relation
  for (const auto& d : datasets)
    if (shown(d.collection) == d.collection) relation.emplace(d.collection, d.relation);
  std::vector<StateUsageRow> out;
  if (relation.empty()) return out;
  core::UsageQuery q;
  q.from = first_day(from_month);
  q.to = last_day(to_month);
  q.group_by = {UsageDimension::Period, UsageDimension::Collection, UsageDimension::Country};
  // Days folded into months; the key's order is the rows' order.
  std::map<std::tuple<std::string, std::string, std::string>, core::UsageTotals> months;
  for (const auto& r : store.usage_report(q)) {
    if (!relation.count(r.values[1])) continue;
    months[{r.values[0].substr(0, 7), r.values[1], r.values[2]}] += r.totals;
  }
  for (const auto& [k, totals] : months)
    out.push_back({std::get<0>(k), std::get<1>(k), relation.find(std::get<1>(k))->second, std::get<2>(k), totals});
  return out;
}

MonthlyUsage monthly_usage(store::UsageStore& store, const std::string& month,
                           const std::vector<std::string>& member_states, const DatasetsOf& datasets_of,
                           const ShownName& shown) {
  const auto rows = month_rows(store, month, shown);
  std::map<std::string, core::UsageTotals> total, datasets, countries, services, downloads, map_views, from_states,
      state_datasets;
  const std::set<std::string, std::less<>> states(member_states.begin(), member_states.end());
  for (const auto& r : rows) {
    total["all"] += r.totals;
    if (!r.collection.empty()) datasets[r.collection] += r.totals;
    countries[r.country] += r.totals;
    services[r.service] += r.totals;
    if (!r.collection.empty() && is_download_format(r.format)) downloads[r.collection] += r.totals;
    if (!r.collection.empty() && is_map_view(r.service, r.operation)) map_views[r.collection] += r.totals;
  }
  for (const auto& state : member_states) {
    from_states[state];  // every state has its line, 0 when none asked
    state_datasets[state];
    std::set<std::string, std::less<>> own;
    for (const auto& d : datasets_of(state))
      if (shown(d.collection) == d.collection) own.insert(d.collection);
    for (const auto& r : rows) {
      if (r.country == state) from_states[state] += r.totals;
      if (own.count(r.collection)) state_datasets[state] += r.totals;
    }
  }
  total.try_emplace("all");
  MonthlyUsage out{month, {}};
  out.tables.push_back({"totals", ranked(total)});
  out.tables.push_back({"datasets", ranked(datasets)});
  out.tables.push_back({"countries", ranked(countries)});
  out.tables.push_back({"services", ranked(services)});
  out.tables.push_back({"downloads", ranked(downloads, 20)});
  out.tables.push_back({"mapViews", ranked(map_views, 20)});
  out.tables.push_back({"memberStates", ranked(from_states)});
  out.tables.push_back({"memberStateDatasets", ranked(state_datasets)});
  return out;
}

std::vector<StateUtilization> member_state_utilization(store::UsageStore& store, const std::string& from_day,
                                                       const std::string& to_day,
                                                       const std::vector<std::string>& member_states,
                                                       const DatasetsOf& datasets_of, const ShownName& shown) {
  core::UsageQuery q;
  q.from = from_day;
  q.to = to_day;
  q.group_by = {UsageDimension::Collection, UsageDimension::Service};
  std::map<std::string, core::UsageTotals, std::less<>> per_collection;
  for (const auto& r : store.usage_report(q))
    if (r.values[1] != "usage" && !r.values[0].empty()) per_collection[r.values[0]] += r.totals;
  std::vector<StateUtilization> out;
  for (const auto& state : member_states) {
    StateUtilization u{state, 0, {}};
    std::set<std::string, std::less<>> own;
    for (const auto& d : datasets_of(state))
      if (shown(d.collection) == d.collection) own.insert(d.collection);
    u.datasets = static_cast<std::int64_t>(own.size());
    for (const auto& c : own)
      if (auto it = per_collection.find(c); it != per_collection.end()) u.totals += it->second;
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace amis::monitor
