#pragma once
// How long evidence documents that no report cites are kept (issue 19). A document is
// kept while a report cites it by its URL (…/workplans/{plan}/evidence/{id}): an approved
// report (a feature of `workplan_progress`), a frozen meeting report, or a report still
// under way (a change set of `workplan_progress` in draft or submitted). An upload no such
// report cites, older than the retention ([workplan] evidence_retention_days), is removed:
// it was never used, or its only report was returned and not sent again. Run by
// `amis workplan forget-evidence` and when `amis serve` starts.
#include <cstdint>
#include <string>
#include <vector>

#include "store/change_sets.hpp"
#include "store/store.hpp"
#include "store/workplan_store.hpp"

namespace amis::workplan {

struct EvidenceRetention {
  std::int64_t examined = 0;          // documents uploaded before the time given
  std::vector<std::int64_t> removed;  // their ids, no report citing them
};

// Removes the documents uploaded before `uploaded_before` (RFC 3339 UTC, to the
// millisecond) that no report cites; at most 10,000 per call.
EvidenceRetention forget_uncited_evidence(store::Store& store, store::WorkPlanStore& plans,
                                          store::ChangeSetStore& change_sets, const std::string& uploaded_before);

}  // namespace amis::workplan
