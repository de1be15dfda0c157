#pragma once
// The HTML pages of the work-plan API: the plan in the work plan's own table
// layout (area, activity, expected output, lead, status), an activity's history,
// a meeting report, the changes since the last meeting.
#include <string>

#include <nlohmann/json.hpp>

namespace amis::api::workplan_api {

// Each page is drawn from the JSON document the same URL gives as JSON.
std::string html_plans(const std::string& base, const nlohmann::json& doc);
std::string html_plan(const std::string& base, const nlohmann::json& plan, const nlohmann::json& accomplishment);
std::string html_activity(const std::string& base, const nlohmann::json& activity);
std::string html_meeting(const std::string& base, const nlohmann::json& meeting);
std::string html_meetings(const std::string& base, const nlohmann::json& meetings);
std::string html_accomplishment(const std::string& base, const std::string& plan, const nlohmann::json& accomplishment);
std::string html_changes(const std::string& base, const nlohmann::json& changes);
std::string html_live(const std::string& base, const nlohmann::json& live);
std::string html_progress(const std::string& base, const nlohmann::json& progress);

}  // namespace amis::api::workplan_api
