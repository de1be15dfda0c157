#pragma once
// A work plan of the ASOMM+3 minerals cooperation (issue 19): programme areas,
// activities and their expected outputs, as the plan's text gives them, and the
// Appendix's fields (lead and co-lead countries, partners, the ASEAN country
// coordinator, planned dates, indicators with baseline and yearly targets), empty
// until an Appendix is imported. Several plans (2022-2025, 2026-2030) live side by side.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amis::workplan {

enum class IndicatorType { Milestone, Count, Percentage, Text };
const char* to_string(IndicatorType type);
std::optional<IndicatorType> parse_indicator_type(std::string_view text);

// An indicator of an activity's progress (Appendix). `output` is the 1-based
// number of the activity's expected output it measures (1 when the activity has one).
struct Indicator {
  std::string name;
  IndicatorType type = IndicatorType::Text;
  int output = 1;
  std::string baseline;
  std::map<int, std::string> targets;  // by year
};

struct ExpectedOutput {
  std::string text;
};

struct Activity {
  std::string id;    // "1.1"
  std::string area;  // the programme area's code
  std::string text;
  std::string partner_named;  // as the text names it, empty when it does not
  std::vector<ExpectedOutput> outputs;
  // The Appendix: ISO 3166-1 alpha-3 codes, dates as YYYY, YYYY-MM or YYYY-MM-DD.
  std::string lead;
  std::string co_lead;
  std::vector<std::string> partners;
  std::string country_coordinator;
  std::string planned_start;
  std::string planned_end;
  std::vector<Indicator> indicators;

  // The countries whose editors report this activity's progress: lead, co-lead
  // and country coordinator (none before an Appendix is imported).
  std::vector<std::string> reporting_countries() const;
  void clear_appendix();
};

struct ProgrammeArea {
  std::string no;    // "I"
  std::string code;  // "TIM"
  std::string title;
};

struct WorkPlan {
  std::string id;  // "ASOMM3-WP-2022-2025"
  std::string title;
  int period_start = 0;
  int period_end = 0;
  std::string source;  // where the data came from (the YAML's file name)
  std::vector<ProgrammeArea> areas;
  std::vector<Activity> activities;  // in the plan's order

  const Activity* activity(std::string_view activity_id) const;
  Activity* activity(std::string_view activity_id);
  std::size_t output_count() const;
};

// What a list of plans shows.
struct WorkPlanSummary {
  std::string id;
  std::string title;
  int period_start = 0;
  int period_end = 0;
  std::string loaded;  // RFC 3339
};

// True for a plan or meeting id of 1 to 64 letters, digits, '.', '_', '+' or '-'.
bool valid_plan_id(std::string_view id);

}  // namespace amis::workplan
