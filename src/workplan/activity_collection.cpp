#include "workplan/activity_collection.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "workplan/accomplishment.hpp"
#include "workplan/progress_service.hpp"

namespace amis::workplan {
namespace {

using core::PropertyType;

// The properties in the collection's order; integers are the outputs counted.
constexpr const char* kTextBefore[] = {"work_plan",    "activity",     "programme_area", "area_title",
                                       "description",  "expected_outputs", "partner_named", "lead",
                                       "co_lead",      "partners",     "country_coordinator", "planned_start",
                                       "planned_end",  "status",       "status_source",  "reported_meeting",
                                       "reported_by",  "last_meeting", "last_meeting_status"};
constexpr const char* kIntegers[] = {"outputs_accomplished", "outputs_total"};
constexpr const char* kTextAfter[] = {"rate"};

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

// One feature's values as text (empty: null) and the two counts.
struct Row {
  std::vector<std::string> texts;
  std::int64_t accomplished = 0;
  std::int64_t total = 0;
  std::string rate;
};

Row activity_row(const WorkPlan& plan, const Activity& a, const ActivityState* now, const MeetingReport* last) {
  std::string area_title;
  for (const auto& area : plan.areas)
    if (area.code == a.area) area_title = area.title;
  std::vector<std::string> outputs;
  for (const auto& o : a.outputs) outputs.push_back(o.text);
  const ActivityState* before = nullptr;
  if (last) {
    auto it = last->state.find(a.id);
    if (it != last->state.end()) before = &it->second;
  }
  Row row;
  row.texts = {plan.id,
               a.id,
               a.area,
               area_title,
               a.text,
               joined(outputs, "\n"),
               a.partner_named,
               a.lead,
               a.co_lead,
               joined(a.partners, ";"),
               a.country_coordinator,
               a.planned_start,
               a.planned_end,
               now && now->status ? to_string(*now->status) : "",
               now ? now->source : "none",
               now && now->report ? now->report->meeting : "",
               now && now->report ? now->report->country : "",
               last ? last->meeting : "",
               before && before->status ? to_string(*before->status) : ""};
  Rate rate;
  for (bool done : outputs_accomplished(a, now)) {
    ++rate.total;
    rate.accomplished += done ? 1 : 0;
  }
  if (rate.total > 0) rate.percent = std::round(1000.0 * rate.accomplished / rate.total) / 10.0;
  row.accomplished = rate.accomplished;
  row.total = rate.total;
  row.rate = rate.text();
  return row;
}

}  // namespace

core::Collection activity_collection() {
  core::Collection c;
  c.id = kActivityCollection;
  c.title = "Work-plan activities";
  c.description = "The activities of the ASOMM+3 work plans with their lead, co-lead and country coordinator "
                  "(Appendix), where each stands now (its latest approved progress report, or the last frozen "
                  "meeting's status) and its expected outputs accomplished (milestones all met). No geometry.";
  c.keywords = {"ASOMM+3", "work plan", "activities", "progress"};
  c.geometry_type = "GEOMETRY";
  for (const char* name : kTextBefore) c.properties.push_back({name, PropertyType::Text});
  for (const char* name : kIntegers) c.properties.push_back({name, PropertyType::Integer});
  for (const char* name : kTextAfter) c.properties.push_back({name, PropertyType::Text});
  return c;
}

std::size_t ActivityPublisher::publish() {
  std::lock_guard lock(mutex_);
  try {
    return write_once();
  } catch (const core::OgcError&) {
    return write_once();  // another node wrote it at the same moment
  }
}

std::size_t ActivityPublisher::write_once() {
  const auto summaries = plans_.plans();
  if (summaries.empty()) return 0;
  auto writer = store_.replace_collection(activity_collection());
  std::size_t written = 0;
  for (const auto& summary : summaries) {
    const auto plan = plans_.plan(summary.id);
    if (!plan) continue;
    const auto meetings = plans_.meetings(plan->id);
    const MeetingReport* last = meetings.empty() ? nullptr : &meetings.back();
    const auto state = live_state(store_, plans_, *plan);
    for (const auto& a : plan->activities) {
      auto it = state.find(a.id);
      const Row row = activity_row(*plan, a, it == state.end() ? nullptr : &it->second, last);
      std::vector<core::Value> values;
      values.reserve(row.texts.size() + 3);
      for (const auto& t : row.texts) {
        core::Value v;
        if (!t.empty()) v = {core::Value::Kind::Text, 0, 0, t};
        values.push_back(v);
      }
      values.push_back({core::Value::Kind::Integer, row.accomplished, 0, {}});
      values.push_back({core::Value::Kind::Integer, row.total, 0, {}});
      values.push_back({core::Value::Kind::Text, 0, 0, row.rate});
      writer->add({}, values);
      ++written;
    }
  }
  writer->commit();
  return written;
}

}  // namespace amis::workplan
