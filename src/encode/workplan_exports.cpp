#include "encode/workplan_exports.hpp"

#include <cstdio>
#include <utility>

#include "encode/csv_writer.hpp"
#include "encode/xml_text.hpp"

namespace amis::encode {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

using workplan::Activity;
using workplan::ProgressReport;

void flush(core::ByteSink& out, std::string& buffer, bool always = false) {
  if (buffer.empty() || (!always && buffer.size() < kFlushBytes)) return;
  out.write(buffer);
  buffer.clear();
}

std::string events_text(const ProgressReport& r) {
  std::string out;
  for (const auto& e : r.events) {
    out += (out.empty() ? "" : "; ") + e.date + (e.place.empty() ? "" : " " + e.place);
    std::string countries;
    for (const auto& c : e.countries) countries += (countries.empty() ? "" : " ") + c;
    if (!countries.empty()) out += " (" + countries + ")";
  }
  return out;
}

std::string evidence_text(const ProgressReport& r) {
  std::string out;
  for (const auto& e : r.evidence) out += (out.empty() ? "" : " ") + e.href;
  return out;
}

std::string indicator_type(const Activity* activity, const std::string& name) {
  if (activity)
    for (const auto& i : activity->indicators)
      if (i.name == name) return workplan::to_string(i.type);
  return {};
}

void append_row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    append_text_cell(out, cells[i]);
  }
  out += "\r\n";
}

// "2023" -> 2023-01-01 (start) or 2023-12-31 (end); "2023-02" -> 2023-02-01 or 2023-02-28.
std::string iso_date(const std::string& when, bool end) {
  if (when.size() == 10) return when;
  const int year = when.size() >= 4 ? std::stoi(when.substr(0, 4)) : 0;
  int month = when.size() == 7 ? std::stoi(when.substr(5, 2)) : (end ? 12 : 1);
  if (month < 1 || month > 12) month = end ? 12 : 1;
  int day = 1;
  if (end) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    day = days[month - 1] + (month == 2 && leap ? 1 : 0);
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

void narrative(std::string& out, const char* element, const std::string& attributes, const std::string& text) {
  out += '<';
  out += element;
  out += attributes + "><narrative>";
  append_xml_text(out, text);
  out += "</narrative></";
  out += element;
  out += '>';
}

std::string attribute(const char* name, const std::string& value) {
  std::string out = " ";
  out += name;
  out += "=\"";
  append_xml_text(out, value);
  return out + "\"";
}

const char* media_type_of(const std::string& href) {
  const auto dot = href.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : href.substr(dot + 1);
  if (ext == "pdf") return "application/pdf";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  return "text/html";
}

void write_activity(std::string& out, const workplan::WorkPlan& plan, const Activity& a,
                    const workplan::ActivityState* state, const IatiPublisher& who) {
  out += "<iati-activity" + attribute("last-updated-datetime", who.generated) + " xml:lang=\"en\" hierarchy=\"1\">";
  append_xml_element(out, "iati-identifier", who.org_ref + "-" + plan.id + "-" + a.id);
  narrative(out, "reporting-org", attribute("ref", who.org_ref) + attribute("type", std::to_string(who.org_type)),
            who.org_name);
  narrative(out, "title", "", "Activity " + a.id + ": " + a.text);
  narrative(out, "description", " type=\"1\"", a.text);
  std::string outputs;
  for (const auto& o : a.outputs) outputs += (outputs.empty() ? "" : "\n") + o.text;
  narrative(out, "description", " type=\"2\"", "Expected output: " + outputs);
  const ProgressReport* report = state && state->report ? &*state->report : nullptr;
  if (report && !report->narrative.empty())
    narrative(out, "description", " type=\"4\"",
              "Progress reported by " + report->country + " for " + report->meeting + ": " + report->narrative);
  narrative(out, "participating-org",
            attribute("ref", who.org_ref) + " role=\"2\"" + attribute("type", std::to_string(who.org_type)), who.org_name);
  const std::pair<const std::string*, const char*> roles[] = {
      {&a.lead, "lead"}, {&a.co_lead, "co-lead"}, {&a.country_coordinator, "ASEAN country coordinator"}};
  for (const auto& [code, role] : roles)
    if (!code->empty()) narrative(out, "participating-org", " role=\"4\" type=\"10\"", *code + " (" + role + ")");
  out += "<activity-status code=\"" + std::to_string(iati_activity_status(state ? state->status : std::nullopt)) +
         "\"/>";
  const std::string start = a.planned_start.empty() ? std::to_string(plan.period_start) : a.planned_start;
  const std::string end = a.planned_end.empty() ? std::to_string(plan.period_end) : a.planned_end;
  out += "<activity-date type=\"1\"" + attribute("iso-date", iso_date(start, false)) + "/>";
  out += "<activity-date type=\"3\"" + attribute("iso-date", iso_date(end, true)) + "/>";
  if (report)
    for (const auto& e : report->evidence) {
      out += "<document-link" + attribute("url", e.href) + attribute("format", media_type_of(e.href)) + ">";
      narrative(out, "title", "", e.title.empty() ? e.href : e.title);
      out += "<category code=\"A07\"/></document-link>";
    }
  out += "</iati-activity>\n";
}

}  // namespace

const std::vector<std::string>& progress_csv_columns() {
  static const std::vector<std::string> columns = {"work_plan", "activity", "meeting",        "country",
                                                   "reported",  "status",   "indicator",      "indicator_type",
                                                   "value",     "events",   "evidence",       "narrative"};
  return columns;
}

void write_progress_csv(core::ByteSink& out, const workplan::WorkPlan& plan,
                        const std::vector<ProgressReport>& reports) {
  std::string buffer;
  append_row(buffer, progress_csv_columns());
  for (const auto& r : reports) {
    const Activity* activity = plan.activity(r.activity);
    auto row = [&](const std::string& indicator, const std::string& value) {
      append_row(buffer, {r.plan, r.activity, r.meeting, r.country, r.reported, workplan::to_string(r.status), indicator,
                          indicator.empty() ? "" : indicator_type(activity, indicator), value, events_text(r),
                          evidence_text(r), r.narrative});
      flush(out, buffer);
    };
    if (r.indicators.empty()) row("", "");
    for (const auto& v : r.indicators) row(v.indicator, v.value);
  }
  flush(out, buffer, true);
}

int iati_activity_status(const std::optional<workplan::Status>& status) {
  if (!status) return 1;
  switch (*status) {
    case workplan::Status::NotStarted: return 1;
    case workplan::Status::Ongoing:
    case workplan::Status::Delayed: return 2;
    case workplan::Status::Completed: return 3;
    case workplan::Status::Discontinued: return 5;
  }
  return 1;
}

void write_iati_activities(core::ByteSink& out, const workplan::WorkPlan& plan, const workplan::PlanState& state,
                           const IatiPublisher& publisher) {
  std::string buffer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\"" +
                       attribute("generated-datetime", publisher.generated) + ">\n";
  for (const auto& a : plan.activities) {
    auto it = state.find(a.id);
    write_activity(buffer, plan, a, it == state.end() ? nullptr : &it->second, publisher);
    flush(out, buffer);
  }
  buffer += "</iati-activities>\n";
  flush(out, buffer, true);
}

}  // namespace amis::encode
