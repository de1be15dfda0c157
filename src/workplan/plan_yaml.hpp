#pragma once
// Reading a work plan from its YAML form (reference/workplan-2022-2025.yaml and
// later plans in the same layout): work_plan {id, title, period, programme_areas}
// and activities [{id, area, activity, expected_output (text or list), partner_named}].
// libyaml (Debian's libyaml-0-2) reads the document; aliases are followed within
// a bound so that a hostile document cannot blow up.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "workplan/work_plan.hpp"

namespace amis::workplan {

// The YAML document as JSON: plain scalars that read as integers, reals,
// booleans or null become those; everything else is text.
// @throws core::ParsingFailed for a document that is not YAML, larger than
// 4 MiB, deeper than 32 levels, or with more than 200,000 nodes (aliases counted).
nlohmann::json yaml_to_json(std::string_view text);

// @throws core::ParsingFailed (not YAML), core::InvalidValue (not a work plan:
// a missing or mistyped field, an activity in an unknown area, ids repeated).
WorkPlan parse_work_plan(std::string_view yaml, const std::string& source);

}  // namespace amis::workplan
