#include "api/workplan/meeting_pdf.hpp"

#include <map>

#include "report/pdf_report.hpp"

namespace amis::api::workplan_api {
namespace {

using nlohmann::json;

std::string text(const json& v) { return v.is_null() ? "" : v.is_string() ? v.get<std::string>() : v.dump(); }

std::string or_dash(const json& v) { return v.is_null() || text(v).empty() ? "-" : text(v); }

std::string lines(const json& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : "\n") + text(i);
  return out;
}

// The note under an activity: who leads it, its expected outputs, what was reported.
std::string activity_note(const json& a, const json& frozen) {
  std::string note = "Lead: " + or_dash(a["lead"]) + "; co-lead: " + or_dash(a["coLead"]) +
                     "; country coordinator: " + or_dash(a["countryCoordinator"]) + "\nExpected output: " +
                     lines(a["expectedOutputs"]);
  const json report = frozen.value("report", json(nullptr));
  if (!report.is_null()) {
    note += "\nReported by " + text(report["country"]) + " for " + text(report["meeting"]) + ": " +
            text(report["narrative"]);
    for (const auto& e : report["evidence"]) note += "\nEvidence: " + text(e["title"]) + " " + text(e["href"]);
  }
  const auto values = frozen.find("indicatorValues");
  if (values != frozen.end() && values->is_object())
    for (const auto& [name, value] : values->items()) note += "\n" + name + ": " + text(value);
  return note;
}

report::ReportSection rate_section(const json& a) {
  report::ReportSection section{"Accomplishment", "Rule: " + text(a["ruleName"]) + " (" + text(a["rule"]) + ")", {}};
  for (const auto& r : a["programmeAreas"]) section.rows.push_back({text(r["scope"]), text(r["text"]), text(r["title"])});
  section.rows.push_back({"Overall", text(a["overall"]["text"]), ""});
  return section;
}

}  // namespace

std::string meeting_pdf(const json& plan, const json& meeting) {
  std::map<std::string, json> frozen;
  for (const auto& a : meeting["activities"]) frozen[text(a["id"])] = a;
  report::ReportDocument pdf;
  pdf.title = text(meeting["title"]) + ": report on the " + text(plan["title"]);
  pdf.subtitle = "Meeting " + text(meeting["meeting"]) + (meeting["held"].is_null() ? "" : ", held " + text(meeting["held"])) +
                 ". Accomplishment: " + text(meeting["accomplishment"]["overall"]["text"]) + " (" +
                 text(meeting["accomplishment"]["ruleName"]) + ").";
  pdf.stamp = "Frozen " + text(meeting["frozen"]) + " by " + text(meeting["frozenBy"]) +
              "; later edits do not change it (ASEAN Minerals Information System)";
  for (const auto& area : plan["programmeAreas"]) {
    report::ReportSection section{text(area["no"]) + ". " + text(area["title"]), "", {}};
    for (const auto& a : plan["activities"]) {
      if (a["area"] != area["code"]) continue;
      const auto it = frozen.find(text(a["id"]));
      const json f = it == frozen.end() ? json::object() : it->second;
      const std::string status = f.value("status", json(nullptr)).is_null() ? "not reported" : text(f["status"]);
      section.rows.push_back({text(a["id"]),
                              status + " (" + text(f.value("statusSource", json("none"))) + ")\n" + text(a["activity"]),
                              activity_note(a, f)});
    }
    pdf.sections.push_back(std::move(section));
  }
  pdf.sections.push_back(rate_section(meeting["accomplishment"]));
  return report::write_pdf(pdf);
}

}  // namespace amis::api::workplan_api
