#include "workplan/work_plan.hpp"

#include <algorithm>

namespace amis::workplan {

const char* to_string(IndicatorType type) {
  switch (type) {
    case IndicatorType::Milestone: return "milestone";
    case IndicatorType::Count: return "count";
    case IndicatorType::Percentage: return "percentage";
    case IndicatorType::Text: return "text";
  }
  return "text";
}

std::optional<IndicatorType> parse_indicator_type(std::string_view text) {
  if (text == "milestone") return IndicatorType::Milestone;
  if (text == "count") return IndicatorType::Count;
  if (text == "percentage") return IndicatorType::Percentage;
  if (text == "text") return IndicatorType::Text;
  return std::nullopt;
}

std::vector<std::string> Activity::reporting_countries() const {
  std::vector<std::string> out;
  for (const auto* c : {&lead, &co_lead, &country_coordinator})
    if (!c->empty() && std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);
  return out;
}

void Activity::clear_appendix() {
  lead.clear();
  co_lead.clear();
  partners.clear();
  country_coordinator.clear();
  planned_start.clear();
  planned_end.clear();
  indicators.clear();
}

const Activity* WorkPlan::activity(std::string_view activity_id) const {
  for (const auto& a : activities)
    if (a.id == activity_id) return &a;
  return nullptr;
}

Activity* WorkPlan::activity(std::string_view activity_id) {
  for (auto& a : activities)
    if (a.id == activity_id) return &a;
  return nullptr;
}

std::size_t WorkPlan::output_count() const {
  std::size_t n = 0;
  for (const auto& a : activities) n += a.outputs.size();
  return n;
}

bool valid_plan_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace amis::workplan
