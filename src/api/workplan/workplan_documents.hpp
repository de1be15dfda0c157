#pragma once
// The JSON documents of the work-plan API (issue 19).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workplan/accomplishment.hpp"
#include "workplan/progress_service.hpp"
#include "workplan/work_plan.hpp"

namespace amis::api::workplan_api {

namespace wp = amis::workplan;

nlohmann::json plans_json(const std::string& base, const std::vector<wp::WorkPlanSummary>& plans);
nlohmann::json plan_json(const std::string& base, const wp::WorkPlan& plan, const wp::PlanState& state);
nlohmann::json activity_json(const wp::Activity& activity, const wp::ActivityState* state);
nlohmann::json activity_page_json(const std::string& base, const wp::WorkPlan& plan, const wp::Activity& activity,
                                  const wp::PlanState& state, const std::vector<wp::ProgressReport>& history);
nlohmann::json accomplishment_json(const wp::Accomplishment& accomplishment);
nlohmann::json meeting_json(const std::string& base, const wp::WorkPlan& plan, const wp::MeetingReport& meeting,
                            wp::Rule rule);
nlohmann::json meetings_json(const std::string& base, const wp::WorkPlan& plan,
                             const std::vector<wp::MeetingReport>& meetings);
nlohmann::json changes_json(const wp::WorkPlan& plan, const std::optional<wp::MeetingReport>& last,
                            const std::vector<wp::ActivityChange>& changes);
nlohmann::json live_json(const wp::LiveIndicators& live);
// The approved reports of a plan (of one meeting, unless `meeting` is empty).
nlohmann::json progress_json(const std::string& base, const wp::WorkPlan& plan, const std::string& meeting,
                             const std::vector<wp::ProgressReport>& reports);

}  // namespace amis::api::workplan_api
