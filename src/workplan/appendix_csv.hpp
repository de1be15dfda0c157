#pragma once
// The Appendix of a work plan, imported from a CSV template (docs/workplan.md):
// one row per indicator (or per activity without indicators), columns
//   activity, lead, co_lead, partners, country_coordinator, planned_start,
//   planned_end, output, indicator, indicator_type, baseline, target_<year>...
// The activity's fields may repeat on each of its rows; where they are given
// twice they must agree. Countries are ISO 3166-1 alpha-3 codes of the ten
// member states and the Plus Three; partners are separated by ';'.
#include <string>
#include <string_view>
#include <vector>

#include "workplan/work_plan.hpp"

namespace amis::workplan {

// RFC 4180 CSV: fields separated by ',', quoted with '"' ("" inside quotes),
// rows by CRLF or LF; a UTF-8 byte order mark is skipped.
// @throws core::ParsingFailed for an unclosed quote, more than 10,000 rows,
// 64 columns or 4 KiB in one field, or a body over 4 MiB.
std::vector<std::vector<std::string>> read_csv(std::string_view text);

// Replaces the Appendix fields of every activity of `plan` with the CSV's
// (activities the CSV does not name get none). Nothing changes unless all of
// it is valid. @throws core::ParsingFailed, core::InvalidValue naming the row and column.
void import_appendix(WorkPlan& plan, std::string_view csv);

// The header of the template for `plan`'s years, and one row per activity.
std::string appendix_template(const WorkPlan& plan);

}  // namespace amis::workplan
