#pragma once
// The work plans' exports (issue 19), written in chunks to a byte sink:
// - the approved progress reports as CSV (RFC 4180), one row per report and
//   indicator value (one row for a report without values), for spreadsheets;
// - the activities as IATI 2.03 activity XML (iati-activities), where each stands now
//   and the evidence reported, for the International Aid Transparency Initiative.
#include <optional>
#include <string>
#include <vector>

#include "core/byte_sink.hpp"
#include "workplan/progress.hpp"
#include "workplan/work_plan.hpp"

namespace amis::encode {

// The CSV's columns, in order.
const std::vector<std::string>& progress_csv_columns();

void write_progress_csv(core::ByteSink& out, const workplan::WorkPlan& plan,
                        const std::vector<workplan::ProgressReport>& reports);

// What the IATI file says of its publisher and when it was made.
struct IatiPublisher {
  // The reporting organisation's IATI organisation identifier, {RegistrationAgency}-{number}
  // (IATI's Organisation Registration Agency code list, e.g. XI-IATI-...); empty: not
  // configured, and IATI has no identifier for an unregistered publisher.
  std::string org_ref;
  std::string org_name = "ASEAN Secretariat";
  int org_type = 40;  // IATI OrganisationType: 40 multilateral
  std::string generated;  // xsd:dateTime (RFC 3339 UTC)
};

// IATI activity identifiers are `<org_ref>-<plan>-<activity>`.
void write_iati_activities(core::ByteSink& out, const workplan::WorkPlan& plan, const workplan::PlanState& state,
                           const IatiPublisher& publisher);

// IATI ActivityStatus code of a status: 1 pipeline (not started or never reported),
// 2 implementation (ongoing, delayed), 3 finalisation (completed), 5 cancelled (discontinued).
int iati_activity_status(const std::optional<workplan::Status>& status);

}  // namespace amis::encode
