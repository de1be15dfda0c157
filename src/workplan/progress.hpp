#pragma once
// Progress reports (issue 19): per activity and reporting period (an ASOMM+3
// meeting), a lead or country coordinator reports status, narrative, events
// held, indicator values and evidence. A report is a feature of the non-spatial
// collection `workplan_progress`, so that it is written, reviewed, approved and
// versioned by the same change sets as every other edit (edit/).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/collection.hpp"
#include "workplan/work_plan.hpp"

namespace amis::workplan {

inline constexpr const char* kProgressCollection = "workplan_progress";

enum class Status { NotStarted, Ongoing, Completed, Delayed, Discontinued };
const char* to_string(Status status);
std::optional<Status> parse_status(std::string_view text);

struct Event {
  std::string date;   // YYYY-MM-DD
  std::string place;
  std::vector<std::string> countries;  // participating member states (ISO alpha-3)
};

struct IndicatorValue {
  std::string indicator;  // an Appendix indicator's name
  std::string value;
};

struct Evidence {
  std::string title;
  std::string href;  // http(s) URL of a link or a document
};

struct ProgressReport {
  std::int64_t fid = 0;  // the feature, once published
  std::string plan;
  std::string activity;
  std::string meeting;  // the reporting period: an ASOMM+3 meeting id
  std::string country;  // the reporting member state
  std::string reported;  // RFC 3339, when it was submitted
  Status status = Status::NotStarted;
  std::string narrative;
  std::vector<Event> events;
  std::vector<IndicatorValue> indicators;
  std::vector<Evidence> evidence;
};

// The collection the reports are features of (no geometry; lists as JSON text).
core::Collection progress_collection();

// A report as the collection's properties, and back.
nlohmann::json to_properties(const ProgressReport& report);
ProgressReport from_properties(std::int64_t fid, const nlohmann::json& properties);

nlohmann::json to_json(const ProgressReport& report);

// A report from a client's JSON body {meeting, status, narrative, events,
// indicators, evidence} for `activity` of `plan`, checked against the plan
// (known indicators, values of their type). @throws core::InvalidValue.
ProgressReport parse_report(const nlohmann::json& body, const WorkPlan& plan, const Activity& activity);

// True for a milestone value that says it is met ("met", "yes", "done", "achieved", "true").
bool milestone_met(std::string_view value);

// Where an activity stands at a moment: from a report, or carried from the
// meeting before when nothing new was reported.
struct ActivityState {
  std::optional<Status> status;  // none: never reported
  std::string source;            // "reported", "carried" or "none"
  std::optional<ProgressReport> report;  // the report the status comes from
  std::map<std::string, std::string> indicators;  // latest value of each indicator
};

using PlanState = std::map<std::string, ActivityState>;  // by activity id

// The state of every activity of `plan` from `reports` (those of one meeting,
// or all of them), falling back on `previous` where an activity has no report.
// Of several reports of one activity the latest submitted wins (the lead's on a tie).
PlanState plan_state(const WorkPlan& plan, const std::vector<ProgressReport>& reports, const PlanState& previous);

nlohmann::json to_json(const PlanState& state);
PlanState plan_state_from_json(const nlohmann::json& doc);

// A meeting's report as frozen when the Secretariat closed it: what was
// reported then, kept unchanged whatever is edited later.
struct MeetingReport {
  std::string plan;
  std::string meeting;  // the ASOMM+3 meeting id
  std::string title;
  std::string held;       // YYYY-MM-DD, may be empty
  std::string frozen;     // RFC 3339, set by the store
  std::string frozen_by;  // the Secretariat's user
  PlanState state;
};

}  // namespace amis::workplan
