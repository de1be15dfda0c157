#include "api/workplan/live_indicator_documents.hpp"

#include <set>

#include "report/pdf_report.hpp"

namespace amis::api::workplan_api {
namespace {

using nlohmann::json;

std::string text(const json& v) { return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump(); }

bool usage_available(const json& live) {
  const auto& u = live["activity4.3"]["utilization"];
  return u.is_object() && u.value("available", false);
}

}  // namespace

json live_state_rows(const json& live) {
  std::set<std::string> updating;
  for (const auto& c : live["activity4.2"]["memberStates"]) updating.insert(text(c));
  json frequency = json::object();
  for (const auto& s : live["activity4.3"]["memberStates"]) frequency[text(s["country"])] = s;
  json rows = json::array();
  const auto& u = live["activity4.3"]["utilization"];
  // The usage figures list every member state; without them the order is the same list's.
  for (const auto& state : usage_available(live) ? u["memberStates"] : live["aseanMemberStates"]) {
    const std::string country = state.is_object() ? text(state["country"]) : text(state);
    json row = {{"country", country}, {"updating90Days", updating.count(country) > 0}};
    const auto f = frequency.find(country);
    row["approvedChangeSets365Days"] = f == frequency.end() ? json(0) : (*f)["approvedChangeSets365Days"];
    row["lastApproved"] = f == frequency.end() ? json(nullptr) : (*f)["lastApproved"];
    if (state.is_object())
      for (const char* k : {"datasets", "requests", "features", "bytes"}) row[k] = state[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string live_csv(const json& live) {
  std::string out =
      "country,updating_last_90_days,approved_change_sets_365_days,last_approved,datasets,requests_365_days,"
      "features_365_days,bytes_365_days\r\n";
  // Every field is a code, a number, a boolean or an RFC 3339 time: none needs quoting.
  for (const auto& r : live_state_rows(live)) {
    out += text(r["country"]) + "," + (r["updating90Days"].get<bool>() ? "yes" : "no") + "," +
           text(r["approvedChangeSets365Days"]) + "," + text(r["lastApproved"]);
    for (const char* k : {"datasets", "requests", "features", "bytes"}) out += "," + (r.contains(k) ? text(r[k]) : "");
    out += "\r\n";
  }
  return out;
}

std::string live_pdf(const std::string& plan_title, const json& live) {
  report::ReportDocument pdf;
  pdf.title = "Live indicators of activities 4.2 and 4.3: " + plan_title;
  const auto& a42 = live["activity4.2"];
  pdf.subtitle = "Activity 4.2, " + text(a42["indicator"]) + ": " + text(a42["text"]) + ".";
  pdf.stamp = "Generated " + text(live["asOf"]) + " from live data (ASEAN Minerals Information System)";
  const auto& u = live["activity4.3"]["utilization"];
  const bool usage = usage_available(live);
  report::ReportSection section{
      "Activity 4.3: data updates and utilization per member state",
      "Approved change sets in the last 365 days; " +
          (usage ? "requests to the state's datasets and features returned from " + text(u["from"]) + " to " +
                       text(u["to"]) + " (usage statistics)."
                 : "utilization not shown: " + text(u["reason"]) + "."),
      {}};
  for (const auto& r : live_state_rows(live)) {
    std::string line = std::string(r["updating90Days"].get<bool>() ? "updated" : "not updated") +
                       " in the last 90 days; " + text(r["approvedChangeSets365Days"]) + " approved change sets";
    if (usage)
      line += "; " + text(r["requests"]) + " requests, " + text(r["features"]) + " features returned from " +
              text(r["datasets"]) + " datasets";
    section.rows.push_back({text(r["country"]), line,
                            r["lastApproved"].is_null() ? "" : "Last approved " + text(r["lastApproved"])});
  }
  pdf.sections.push_back(std::move(section));
  return report::write_pdf(pdf);
}

}  // namespace amis::api::workplan_api
