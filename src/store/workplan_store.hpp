#pragma once
// The work plans and their frozen meeting reports (issue 19), kept with the
// data; the progress reports themselves are features of `workplan_progress`,
// written through change sets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workplan/evidence_document.hpp"
#include "workplan/progress.hpp"
#include "workplan/work_plan.hpp"

namespace amis::store {

class WorkPlanStore {
 public:
  virtual ~WorkPlanStore() = default;

  // Adds or replaces a work plan with its areas, activities, outputs and
  // Appendix fields, in one transaction.
  virtual void put_plan(const workplan::WorkPlan& plan) = 0;
  virtual std::vector<workplan::WorkPlanSummary> plans() = 0;
  virtual std::optional<workplan::WorkPlan> plan(std::string_view id) = 0;

  // Records a frozen meeting report (the store sets `frozen`); false when that
  // meeting of that plan was frozen already (nothing changes then).
  virtual bool freeze(const workplan::MeetingReport& report) = 0;
  // A plan's frozen meetings, oldest freeze first.
  virtual std::vector<workplan::MeetingReport> meetings(std::string_view plan) = 0;
  virtual std::optional<workplan::MeetingReport> meeting(std::string_view plan, std::string_view meeting) = 0;

  // Keeps an uploaded evidence document (the store sets `uploaded`); its id.
  virtual std::int64_t put_document(const workplan::EvidenceDocument& document) = 0;
  virtual std::optional<workplan::EvidenceDocument> document(std::string_view plan, std::int64_t id) = 0;
  // The documents of every plan uploaded before `before` (RFC 3339 UTC to the millisecond),
  // without their bytes, oldest first; at most `limit`.
  virtual std::vector<workplan::EvidenceDocument> documents_uploaded_before(const std::string& before,
                                                                            std::int64_t limit) = 0;
  // Removes a document; false when it was not there (another node removed it).
  virtual bool delete_document(std::int64_t id) = 0;
};

}  // namespace amis::store
