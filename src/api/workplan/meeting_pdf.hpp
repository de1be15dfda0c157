#pragma once
// A frozen meeting report as PDF (issue 19), in the work plan's own layout: per
// programme area, each activity's number, status, text, lead, co-lead and
// country coordinator, and what was reported; then the accomplishment rate.
#include <string>

#include <nlohmann/json.hpp>

namespace amis::api::workplan_api {

// From the plan's document with the meeting's frozen state (plan_json) and the
// meeting's document (meeting_json). @throws core::ServerError when the PDF
// cannot be written.
std::string meeting_pdf(const nlohmann::json& plan, const nlohmann::json& meeting);

}  // namespace amis::api::workplan_api
