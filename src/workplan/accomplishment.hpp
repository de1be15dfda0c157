#pragma once
// The accomplishment rate of a work plan (issue 19), per programme area and
// overall, as "k of n (x%)" with the rule named. Two rules:
// - outputs: the expected outputs whose milestone indicators are all reported met
//   (an output without a milestone indicator counts when its activity is completed);
// - action-lines: the activities completed, as the 2016-2020 plan was reported
//   ("90% accomplishment, 9 of 10 action lines").
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workplan/progress.hpp"
#include "workplan/work_plan.hpp"

namespace amis::workplan {

enum class Rule { Outputs, ActionLines };
const char* to_string(Rule rule);  // "outputs", "action-lines"
std::optional<Rule> parse_rule(std::string_view text);
const char* rule_name(Rule rule);  // what the rule counts, for people

struct Rate {
  std::string scope;  // a programme area's code, or "overall"
  std::string title;
  int accomplished = 0;
  int total = 0;
  std::optional<double> percent;  // rounded to 0.1; none when total is 0

  std::string text() const;  // "9 of 10 (90%)"
};

struct Accomplishment {
  Rule rule = Rule::Outputs;
  std::vector<Rate> areas;
  Rate overall;
};

// Whether each output of `activity` counts under the Outputs rule.
std::vector<bool> outputs_accomplished(const Activity& activity, const ActivityState* state);

Accomplishment accomplishment(const WorkPlan& plan, const PlanState& state, Rule rule);

}  // namespace amis::workplan
