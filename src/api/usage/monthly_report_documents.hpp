#pragma once
// The monthly utilization report (issue 18) in its four forms, all from one
// monitor::MonthlyUsage, so the printable page, the PDF and the CSV show the same numbers.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "monitor/usage_reports.hpp"

namespace amis::api::usage {

struct MonthlyReportPage {
  const monitor::MonthlyUsage& usage;
  const std::vector<std::pair<std::string, std::string>>& member_states;  // (ISO alpha-3, name)
  std::string stamp;  // "Generated 2026-12-05T18:46:12Z from live data"
};

// The title of a report table ("Per dataset", ...).
std::string table_title(const std::string& id);

nlohmann::json monthly_json(const MonthlyReportPage& page);
// table,key,requests,bytes,features
std::string monthly_csv(const monitor::MonthlyUsage& usage);
// A page for the browser's print (A4, tables), with links to the PDF and CSV.
std::string monthly_html(const MonthlyReportPage& page);
// @throws core::ServerError when the PDF cannot be written.
std::string monthly_pdf(const MonthlyReportPage& page);

}  // namespace amis::api::usage
