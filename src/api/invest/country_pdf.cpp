#include "api/invest/country_pdf.hpp"

#include "report/pdf_report.hpp"

namespace amis::api::invest_api {
namespace {

using nlohmann::json;

std::string text(const json& v) { return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump(); }

report::ReportSection summary_section(const json& s) {
  report::ReportSection section{text(s["title"]), "", {}};
  if (!s["available"].get<bool>()) {
    section.paragraph = "Not available: " + text(s["reason"]);
    return section;
  }
  if (s["groups"].empty()) section.paragraph = "No features of this country.";
  for (const auto& g : s["groups"]) {
    std::string label;
    for (const auto& k : g["keys"]) label += (label.empty() ? "" : " / ") + (k.is_null() ? "(none)" : text(k));
    std::string value = text(g["count"]) + " features";
    for (std::size_t i = 0; i < g["sums"].size(); ++i)
      if (!g["sums"][i].is_null()) value += "; " + text(s["sums"][i]) + " " + text(g["sums"][i]);
    section.rows.push_back({label, value, ""});
  }
  return section;
}

}  // namespace

std::string country_pdf(const json& doc) {
  report::ReportDocument pdf;
  pdf.title = text(doc["name"]) + " (" + text(doc["iso3"]) + "): investment profile";
  const auto& review = doc["review"];
  pdf.subtitle = std::string(review["stale"].get<bool>() ? "STALE: not reviewed in the last 12 months. " : "") +
                 "Last reviewed: " + (review["lastReviewed"].is_null() ? "never" : text(review["lastReviewed"])) +
                 ". " + text(doc["filled"]) + " of " + text(doc["fieldCount"]) + " fields filled.";
  pdf.stamp = "Generated " + text(doc["asOf"]) + " from live data (ASEAN Minerals Information System)";
  for (const auto& g : doc["groups"]) {
    report::ReportSection section{text(g["label"]), "", {}};
    for (const auto& f : g["fields"]) {
      if (f["status"] == "filled")
        section.rows.push_back({text(f["label"]), text(f["display"]),
                                "Source: " + text(f["source"]) + " (as of " + text(f["asOf"]) + ")"});
      else
        section.rows.push_back({text(f["label"]), "-", text(f["note"])});
    }
    pdf.sections.push_back(std::move(section));
  }
  for (const auto& s : doc["summaries"]) pdf.sections.push_back(summary_section(s));
  return report::write_pdf(pdf);
}

}  // namespace amis::api::invest_api
