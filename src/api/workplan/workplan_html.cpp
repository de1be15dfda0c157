#include "api/workplan/workplan_html.hpp"

#include "api/workplan/live_indicator_documents.hpp"

#include "api/features/html_pages.hpp"

namespace amis::api::workplan_api {
namespace {

using features::html_escape;
using nlohmann::json;

std::string text(const json& value) { return features::html_text(value); }

std::string rate_row(const json& rate) {
  return "<tr><td>" + text(rate["scope"]) + "</td><td>" + text(rate["title"]) + "</td><td class=\"rate\">" +
         text(rate["text"]) + "</td></tr>";
}

std::string rate_table(const json& a) {
  std::string out = "<h2>Accomplishment</h2><p>Rule: <strong>" + text(a["ruleName"]) + "</strong> (" + text(a["rule"]) +
                    ")</p><table class=\"accomplishment\"><tr><th>Area</th><th>Title</th><th>Rate</th></tr>";
  for (const auto& r : a["programmeAreas"]) out += rate_row(r);
  out += rate_row(a["overall"]) + "</table>";
  return out;
}

std::string list_text(const json& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "<br>") + text(i);
  return out;
}

}  // namespace

std::string html_plans(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, "Work plans") + "<h1>Work plans</h1><ul class=\"workplans\">";
  for (const auto& p : doc["workPlans"])
    out += "<li><a href=\"" + html_escape(base) + "/workplans/" + text(p["id"]) + "\">" + text(p["title"]) + "</a> (" +
           text(p["period"]["start"]) + "&ndash;" + text(p["period"]["end"]) + ")</li>";
  return out + "</ul>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_plan(const std::string& base, const json& plan, const json& accomplishment) {
  const std::string self = html_escape(base) + "/workplans/" + text(plan["id"]);
  std::string out = features::page_head(base, plan["title"].get<std::string>()) + "<h1>" + text(plan["title"]) +
                    "</h1><p>" + text(plan["counts"]["programmeAreas"]) + " programme areas, " +
                    text(plan["counts"]["activities"]) + " activities, " + text(plan["counts"]["expectedOutputs"]) +
                    " expected outputs. <a href=\"" + self + "/meetings\">Meeting reports</a> &middot; <a href=\"" +
                    self + "/changes-since-last-meeting\">Changes since the last meeting</a> &middot; <a href=\"" +
                    self + "/live-indicators\">Live indicators</a></p>";
  out += "<table class=\"workplan\"><tr><th>No.</th><th>Activity</th><th>Expected output</th><th>Lead</th>"
         "<th>Co-lead</th><th>Country coordinator</th><th>Timeline</th><th>Status</th></tr>";
  for (const auto& area : plan["programmeAreas"]) {
    out += "<tr class=\"area\"><th colspan=\"8\">" + text(area["no"]) + ". " + text(area["title"]) + "</th></tr>";
    for (const auto& a : plan["activities"]) {
      if (a["area"] != area["code"]) continue;
      out += "<tr><td><a href=\"" + self + "/activities/" + text(a["id"]) + "\">" + text(a["id"]) + "</a></td><td>" +
             text(a["activity"]) + "</td><td>" + list_text(a["expectedOutputs"]) + "</td><td>" + text(a["lead"]) +
             "</td><td>" + text(a["coLead"]) + "</td><td>" + text(a["countryCoordinator"]) + "</td><td>" +
             text(a["plannedStart"]) + (a["plannedEnd"].is_null() ? "" : "&ndash;" + text(a["plannedEnd"])) +
             "</td><td class=\"status\">" + text(a.value("status", json(nullptr))) + "</td></tr>";
    }
  }
  out += "</table>" + rate_table(accomplishment);
  return out + features::json_link("?f=json") + features::page_foot();
}

std::string html_activity(const std::string& base, const json& a) {
  std::string out = features::page_head(base, "Activity " + a["id"].get<std::string>()) + "<h1>Activity " +
                    text(a["id"]) + "</h1><p>" + text(a["activity"]) + "</p><h2>Expected outputs</h2><p>" +
                    list_text(a["expectedOutputs"]) + "</p><p>Lead: " + text(a["lead"]) + "; co-lead: " +
                    text(a["coLead"]) + "; country coordinator: " + text(a["countryCoordinator"]) +
                    "</p><p>Status: <strong class=\"status\">" + text(a.value("status", json(nullptr))) +
                    "</strong></p><h2>Progress reports</h2><table class=\"progress\"><tr><th>Meeting</th><th>Country"
                    "</th><th>Reported</th><th>Status</th><th>Narrative</th><th>Evidence</th></tr>";
  for (const auto& r : a["progress"]) {
    std::string evidence;
    for (const auto& e : r["evidence"])
      evidence += "<a href=\"" + text(e["href"]) + "\">" + text(e["title"].get<std::string>().empty() ? e["href"] : e["title"]) +
                  "</a> ";
    out += "<tr><td>" + text(r["meeting"]) + "</td><td>" + text(r["country"]) + "</td><td>" + text(r["reported"]) +
           "</td><td>" + text(r["status"]) + "</td><td>" + text(r["narrative"]) + "</td><td>" + evidence + "</td></tr>";
  }
  return out + "</table>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_meeting(const std::string& base, const json& m) {
  std::string out = features::page_head(base, m["title"].get<std::string>()) + "<h1>" + text(m["title"]) +
                    "</h1><p>Frozen " + text(m["frozen"]) + " by " + text(m["frozenBy"]) +
                    "</p><table class=\"meeting\"><tr><th>Activity</th><th>Status</th><th>Source</th><th>Country</th>"
                    "<th>Narrative</th></tr>";
  for (const auto& a : m["activities"]) {
    const json report = a.value("report", json(nullptr));
    out += "<tr><td>" + text(a["id"]) + "</td><td class=\"status\">" + text(a["status"]) + "</td><td>" +
           text(a["statusSource"]) + "</td><td>" + (report.is_null() ? "" : text(report["country"])) + "</td><td>" +
           (report.is_null() ? "" : text(report["narrative"])) + "</td></tr>";
  }
  return out + "</table>" + rate_table(m["accomplishment"]) + "<p><a class=\"pdf\" href=\"?f=pdf\">PDF</a></p>" +
         features::json_link("?f=json") + features::page_foot();
}

std::string html_meetings(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, "Meeting reports") + "<h1>Meeting reports of " + text(doc["workPlan"]) +
                    "</h1><ul class=\"meetings\">";
  for (const auto& m : doc["meetings"])
    out += "<li><a href=\"" + text(m["href"]) + "\">" + text(m["title"]) + "</a> (frozen " + text(m["frozen"]) +
           ", <a class=\"pdf\" href=\"" + text(m["pdf"]) + "\">PDF</a>)</li>";
  return out + "</ul>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_accomplishment(const std::string& base, const std::string& plan, const json& a) {
  return features::page_head(base, "Accomplishment of " + plan) + "<h1>Accomplishment of " + html_escape(plan) +
         "</h1>" + rate_table(a) + features::json_link("?f=json") + features::page_foot();
}

std::string html_changes(const std::string& base, const json& doc) {
  std::string since = doc["since"].is_null() ? std::string("the start") : text(doc["since"]["meeting"]);
  std::string out = features::page_head(base, "Changes since " + since) + "<h1>Changes since " + since +
                    "</h1><table class=\"changes\"><tr><th>Activity</th><th>Before</th><th>After</th><th>Changed</th></tr>";
  for (const auto& c : doc["changes"])
    out += "<tr><td>" + text(c["activity"]) + "</td><td>" + text(c["before"]) + "</td><td>" + text(c["after"]) +
           "</td><td>" + list_text(c["changed"]) + "</td></tr>";
  return out + "</table>" + features::json_link("?f=json") + features::page_foot();
}

std::string html_live(const std::string& base, const json& live) {
  const auto& a42 = live["activity4.2"];
  const auto& u = live["activity4.3"]["utilization"];
  const bool usage = u.value("available", false);
  std::string out = features::page_head(base, "Live indicators") + "<h1>Live indicators</h1><h2>Activity 4.2</h2><p>" +
                    text(a42["indicator"]) + ": <strong>" + text(a42["text"]) + "</strong></p><h2>Activity 4.3</h2><p>" +
                    (usage ? "Utilization: " + text(u["indicator"]) + ", " + text(u["from"]) + " to " + text(u["to"]) + "."
                           : "Utilization not shown: " + text(u["reason"]) + ".") +
                    "</p><table class=\"frequency\"><tr><th>Member state</th><th>Approved change sets (365 days)</th>"
                    "<th>Last approved</th>" +
                    (usage ? "<th>Datasets</th><th>Requests</th><th>Features returned</th>" : "") + "</tr>";
  for (const auto& s : live_state_rows(live)) {
    out += "<tr><td>" + text(s["country"]) + "</td><td>" + text(s["approvedChangeSets365Days"]) + "</td><td>" +
           text(s["lastApproved"]) + "</td>";
    if (usage)
      out += "<td>" + text(s["datasets"]) + "</td><td>" + text(s["requests"]) + "</td><td>" + text(s["features"]) + "</td>";
    out += "</tr>";
  }
  return out + "</table><p><a href=\"?f=csv\">CSV</a> · <a href=\"?f=pdf\">PDF</a></p>" + features::json_link("?f=json") +
         features::page_foot();
}

std::string html_progress(const std::string& base, const json& doc) {
  std::string out = features::page_head(base, "Progress reports") + "<h1>Approved progress reports of " +
                    text(doc["workPlan"]) + (doc["meeting"].is_null() ? "" : ", " + text(doc["meeting"])) +
                    "</h1><p><a href=\"?f=csv" + (doc["meeting"].is_null() ? "" : "&amp;meeting=" + text(doc["meeting"])) +
                    "\">CSV</a></p><table class=\"progress\"><tr><th>Activity</th><th>Meeting</th><th>Country</th>"
                    "<th>Reported</th><th>Status</th><th>Narrative</th></tr>";
  for (const auto& r : doc["reports"])
    out += "<tr><td>" + text(r["activity"]) + "</td><td>" + text(r["meeting"]) + "</td><td>" + text(r["country"]) +
           "</td><td>" + text(r["reported"]) + "</td><td>" + text(r["status"]) + "</td><td>" + text(r["narrative"]) +
           "</td></tr>";
  return out + "</table>" + features::json_link("?f=json") + features::page_foot();
}

}  // namespace amis::api::workplan_api
