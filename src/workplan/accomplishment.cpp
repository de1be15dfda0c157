#include "workplan/accomplishment.hpp"

#include <cmath>
#include <cstdio>

namespace amis::workplan {
namespace {

bool completed(const ActivityState* state) { return state && state->status == Status::Completed; }

void count(Rate& rate, bool accomplished) {
  ++rate.total;
  if (accomplished) ++rate.accomplished;
}

void finish(Rate& rate) {
  if (rate.total > 0) rate.percent = std::round(1000.0 * rate.accomplished / rate.total) / 10.0;
}

}  // namespace

const char* to_string(Rule rule) { return rule == Rule::Outputs ? "outputs" : "action-lines"; }

std::optional<Rule> parse_rule(std::string_view text) {
  if (text == "outputs") return Rule::Outputs;
  if (text == "action-lines") return Rule::ActionLines;
  return std::nullopt;
}

const char* rule_name(Rule rule) {
  return rule == Rule::Outputs ? "expected outputs whose milestones are all met"
                               : "action lines (activities) completed";
}

std::string Rate::text() const {
  std::string out = std::to_string(accomplished) + " of " + std::to_string(total);
  if (!percent) return out;
  char buffer[32];
  const double p = *percent;
  if (p == std::floor(p))
    std::snprintf(buffer, sizeof buffer, " (%.0f%%)", p);
  else
    std::snprintf(buffer, sizeof buffer, " (%.1f%%)", p);
  return out + buffer;
}

std::vector<bool> outputs_accomplished(const Activity& activity, const ActivityState* state) {
  std::vector<bool> out;
  for (std::size_t i = 0; i < activity.outputs.size(); ++i) {
    int milestones = 0, met = 0;
    for (const auto& indicator : activity.indicators) {
      if (indicator.type != IndicatorType::Milestone || indicator.output != static_cast<int>(i + 1)) continue;
      ++milestones;
      if (!state) continue;
      auto it = state->indicators.find(indicator.name);
      if (it != state->indicators.end() && milestone_met(it->second)) ++met;
    }
    out.push_back(milestones > 0 ? met == milestones : completed(state));
  }
  return out;
}

Accomplishment accomplishment(const WorkPlan& plan, const PlanState& state, Rule rule) {
  Accomplishment result;
  result.rule = rule;
  result.overall.scope = "overall";
  result.overall.title = plan.title;
  for (const auto& area : plan.areas) {
    Rate rate;
    rate.scope = area.code;
    rate.title = area.title;
    for (const auto& activity : plan.activities) {
      if (activity.area != area.code) continue;
      auto it = state.find(activity.id);
      const ActivityState* s = it == state.end() ? nullptr : &it->second;
      if (rule == Rule::ActionLines) {
        count(rate, completed(s));
        count(result.overall, completed(s));
      } else {
        for (bool met : outputs_accomplished(activity, s)) {
          count(rate, met);
          count(result.overall, met);
        }
      }
    }
    finish(rate);
    result.areas.push_back(std::move(rate));
  }
  finish(result.overall);
  return result;
}

}  // namespace amis::workplan
