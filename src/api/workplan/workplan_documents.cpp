#include "api/workplan/workplan_documents.hpp"

#include <cmath>

namespace amis::api::workplan_api {
namespace {

using nlohmann::json;

json link(const std::string& href, const char* rel, const char* type, const std::string& title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

json or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json rate_json(const wp::Rate& rate) {
  return {{"scope", rate.scope},
          {"title", rate.title},
          {"accomplished", rate.accomplished},
          {"total", rate.total},
          {"percent", rate.percent ? json(*rate.percent) : json(nullptr)},
          {"text", rate.text()}};
}

json indicator_json(const wp::Indicator& i) {
  json targets = json::object();
  for (const auto& [year, value] : i.targets) targets[std::to_string(year)] = value;
  return {{"name", i.name}, {"type", wp::to_string(i.type)}, {"output", i.output}, {"baseline", i.baseline},
          {"targets", targets}};
}

}  // namespace

json plans_json(const std::string& base, const std::vector<wp::WorkPlanSummary>& plans) {
  json list = json::array();
  for (const auto& p : plans)
    list.push_back({{"id", p.id},
                    {"title", p.title},
                    {"period", {{"start", p.period_start}, {"end", p.period_end}}},
                    {"loaded", p.loaded},
                    {"links", json::array({link(base + "/workplans/" + p.id, "item", "application/json", p.title)})}});
  return {{"workPlans", list},
          {"links", json::array({link(base + "/workplans?f=json", "self", "application/json", "This document"),
                                 link(base + "/workplans?f=html", "alternate", "text/html", "This document as HTML")})}};
}

json activity_json(const wp::Activity& a, const wp::ActivityState* state) {
  json outputs = json::array();
  for (const auto& o : a.outputs) outputs.push_back(o.text);
  json indicators = json::array();
  for (const auto& i : a.indicators) indicators.push_back(indicator_json(i));
  json doc = {{"id", a.id},
              {"area", a.area},
              {"activity", a.text},
              {"partnerNamed", or_null(a.partner_named)},
              {"expectedOutputs", outputs},
              {"lead", or_null(a.lead)},
              {"coLead", or_null(a.co_lead)},
              {"partners", a.partners},
              {"countryCoordinator", or_null(a.country_coordinator)},
              {"plannedStart", or_null(a.planned_start)},
              {"plannedEnd", or_null(a.planned_end)},
              {"indicators", indicators}};
  if (state) {
    doc["status"] = state->status ? json(wp::to_string(*state->status)) : json(nullptr);
    doc["statusSource"] = state->source;
    doc["indicatorValues"] = state->indicators;
  }
  return doc;
}

json plan_json(const std::string& base, const wp::WorkPlan& plan, const wp::PlanState& state) {
  const std::string self = base + "/workplans/" + plan.id;
  json areas = json::array();
  for (const auto& area : plan.areas) {
    json ids = json::array();
    for (const auto& a : plan.activities)
      if (a.area == area.code) ids.push_back(a.id);
    areas.push_back({{"no", area.no}, {"code", area.code}, {"title", area.title}, {"activities", ids}});
  }
  json activities = json::array();
  for (const auto& a : plan.activities) {
    auto it = state.find(a.id);
    activities.push_back(activity_json(a, it == state.end() ? nullptr : &it->second));
  }
  return {{"id", plan.id},
          {"title", plan.title},
          {"period", {{"start", plan.period_start}, {"end", plan.period_end}}},
          {"source", plan.source},
          {"counts",
           {{"programmeAreas", plan.areas.size()},
            {"activities", plan.activities.size()},
            {"expectedOutputs", plan.output_count()}}},
          {"programmeAreas", areas},
          {"activities", activities},
          {"links", json::array({link(self + "?f=json", "self", "application/json", "This document"),
                                 link(self + "?f=html", "alternate", "text/html", "This document as HTML"),
                                 link(self + "/accomplishment", "related", "application/json", "Accomplishment rate"),
                                 link(self + "/meetings", "related", "application/json", "Frozen meeting reports"),
                                 link(self + "/changes-since-last-meeting", "related", "application/json",
                                      "Changes since the last meeting"),
                                 link(self + "/live-indicators", "related", "application/json",
                                      "Live indicators of activities 4.2 and 4.3")})}};
}

json activity_page_json(const std::string& base, const wp::WorkPlan& plan, const wp::Activity& activity,
                        const wp::PlanState& state, const std::vector<wp::ProgressReport>& history) {
  auto it = state.find(activity.id);
  json doc = activity_json(activity, it == state.end() ? nullptr : &it->second);
  doc["workPlan"] = plan.id;
  json reports = json::array();
  for (const auto& r : history)
    if (r.activity == activity.id) reports.push_back(wp::to_json(r));
  doc["progress"] = reports;
  const std::string self = base + "/workplans/" + plan.id + "/activities/" + activity.id;
  doc["links"] = json::array({link(self + "?f=json", "self", "application/json", "This document"),
                              link(self + "?f=html", "alternate", "text/html", "This document as HTML"),
                              link(base + "/workplans/" + plan.id, "up", "application/json", plan.title)});
  return doc;
}

json accomplishment_json(const wp::Accomplishment& a) {
  json areas = json::array();
  for (const auto& r : a.areas) areas.push_back(rate_json(r));
  return {{"rule", wp::to_string(a.rule)},
          {"ruleName", wp::rule_name(a.rule)},
          {"overall", rate_json(a.overall)},
          {"programmeAreas", areas}};
}

json meeting_json(const std::string& base, const wp::WorkPlan& plan, const wp::MeetingReport& m, wp::Rule rule) {
  json activities = json::array();
  for (const auto& a : plan.activities) {
    auto it = m.state.find(a.id);
    json entry = {{"id", a.id}, {"area", a.area}};
    if (it != m.state.end()) {
      entry["status"] = it->second.status ? json(wp::to_string(*it->second.status)) : json(nullptr);
      entry["statusSource"] = it->second.source;
      entry["indicatorValues"] = it->second.indicators;
      entry["report"] = it->second.report ? wp::to_json(*it->second.report) : json(nullptr);
    } else {
      entry["status"] = nullptr;
      entry["statusSource"] = "none";
    }
    activities.push_back(std::move(entry));
  }
  const std::string self = base + "/workplans/" + plan.id + "/meetings/" + m.meeting;
  return {{"workPlan", plan.id},
          {"meeting", m.meeting},
          {"title", m.title},
          {"held", or_null(m.held)},
          {"frozen", m.frozen},
          {"frozenBy", m.frozen_by},
          {"accomplishment", accomplishment_json(wp::accomplishment(plan, m.state, rule))},
          {"activities", activities},
          {"links", json::array({link(self + "?f=json", "self", "application/json", "This document"),
                                 link(self + "?f=html", "alternate", "text/html", "This document as HTML"),
                                 link(self + "?f=pdf", "alternate", "application/pdf", "This report as PDF")})}};
}

json meetings_json(const std::string& base, const wp::WorkPlan& plan, const std::vector<wp::MeetingReport>& meetings) {
  json list = json::array();
  for (const auto& m : meetings)
    list.push_back({{"meeting", m.meeting},
                    {"title", m.title},
                    {"held", or_null(m.held)},
                    {"frozen", m.frozen},
                    {"frozenBy", m.frozen_by},
                    {"href", base + "/workplans/" + plan.id + "/meetings/" + m.meeting},
                    {"pdf", base + "/workplans/" + plan.id + "/meetings/" + m.meeting + "?f=pdf"}});
  return {{"workPlan", plan.id}, {"meetings", list}};
}

json changes_json(const wp::WorkPlan& plan, const std::optional<wp::MeetingReport>& last,
                  const std::vector<wp::ActivityChange>& changes) {
  json list = json::array();
  for (const auto& c : changes)
    list.push_back({{"activity", c.activity},
                    {"before", c.before ? json(wp::to_string(*c.before)) : json(nullptr)},
                    {"after", c.after ? json(wp::to_string(*c.after)) : json(nullptr)},
                    {"changed", c.what}});
  return {{"workPlan", plan.id},
          {"since", last ? json({{"meeting", last->meeting}, {"frozen", last->frozen}}) : json(nullptr)},
          {"changes", list}};
}

json live_json(const wp::LiveIndicators& live) {
  json states = json::array();
  for (const auto& c : live.per_state)
    states.push_back({{"country", c.country},
                      {"approvedChangeSets365Days", c.approved},
                      {"perMonth", static_cast<double>(c.approved) / 12.0},
                      {"lastApproved", c.last}});
  const int k = static_cast<int>(live.updating.size());
  wp::Rate rate;
  rate.accomplished = k;
  rate.total = live.member_states;
  rate.percent = std::round(1000.0 * k / live.member_states) / 10.0;
  return {{"asOf", live.as_of},
          {"aseanMemberStates", wp::asean_member_states()},
          {"activity4.2",
           {{"indicator", "member states with an approved edit in the last 90 days"},
            {"since", live.since_90_days},
            {"memberStates", live.updating},
            {"count", k},
            {"of", live.member_states},
            {"text", rate.text()}}},
          {"activity4.3",
           {{"indicator", "data-update frequency per member state: approved change sets in the last 365 days"},
            {"memberStates", states}}}};
}

json progress_json(const std::string& base, const wp::WorkPlan& plan, const std::string& meeting,
                   const std::vector<wp::ProgressReport>& reports) {
  json list = json::array();
  for (const auto& r : reports) list.push_back(wp::to_json(r));
  const std::string self = base + "/workplans/" + plan.id + "/progress" + (meeting.empty() ? "?" : "?meeting=" + meeting + "&");
  return {{"workPlan", plan.id},
          {"meeting", or_null(meeting)},
          {"reports", list},
          {"links", json::array({link(self + "f=json", "self", "application/json", "This document"),
                                 link(self + "f=html", "alternate", "text/html", "This document as HTML"),
                                 link(self + "f=csv", "alternate", "text/csv", "This document as CSV"),
                                 link(base + "/workplans/" + plan.id + "/iati-activities", "related",
                                      "application/xml", "The activities as IATI 2.03 activity XML")})}};
}

}  // namespace amis::api::workplan_api
