#pragma once
// Work-plan progress (issue 19) over the store: reports submitted as change sets
// (edit::ChangeService, so edit::EditingPolicy decides who may write them and the
// Secretariat's reviewers approve them), meeting reports frozen, the changes since
// the last meeting, accomplishment rates and the live indicators of 4.2 and 4.3.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/account.hpp"
#include "edit/change_service.hpp"
#include "edit/editing_policy.hpp"
#include "store/change_sets.hpp"
#include "store/store.hpp"
#include "store/workplan_store.hpp"
#include "workplan/accomplishment.hpp"
#include "workplan/evidence_document.hpp"
#include "workplan/progress.hpp"

namespace amis::workplan {

// Creates the empty `workplan_progress` collection unless it exists.
void ensure_progress_collection(store::Store& store);

// Who may report on an activity: its lead, co-lead and country coordinator, as
// the plan in the store says when the report is written.
class ProgressScope final : public edit::WriteScope {
 public:
  explicit ProgressScope(store::WorkPlanStore& plans) : plans_(plans) {}
  std::vector<std::string> countries(const edit::FeatureState& feature, std::string& subject) const override;

 private:
  store::WorkPlanStore& plans_;
};

// One activity's difference between the last frozen meeting and now.
struct ActivityChange {
  std::string activity;
  std::optional<Status> before;
  std::optional<Status> after;
  std::vector<std::string> what;  // "status", "narrative", "indicators", "events", "evidence", "report"
};

// Activity 4.2 and 4.3's figures, computed from approved change sets.
struct LiveIndicators {
  std::string as_of;   // RFC 3339
  std::string since_90_days;
  std::vector<std::string> updating;  // ASEAN member states with an approved edit in the last 90 days
  int member_states = 10;
  // Per ASEAN member state: approved change sets in the last 365 days and the latest.
  std::vector<store::CountryUpdates> per_state;
};

// The approved reports of a plan (features of `workplan_progress`), oldest submission first.
std::vector<ProgressReport> approved_reports(store::Store& store, const WorkPlan& plan);
// Where every activity of `plan` stands now: its latest approved report, or else
// what the last frozen meeting said.
PlanState live_state(store::Store& store, store::WorkPlanStore& plans, const WorkPlan& plan);

class ProgressService {
 public:
  ProgressService(store::Store& store, store::WorkPlanStore& plans, store::ChangeSetStore& change_sets,
                  edit::ChangeService& changes, const edit::EditingPolicy& policy)
      : store_(store), plans_(plans), change_sets_(change_sets), changes_(changes), policy_(policy) {}

  // @throws core::NotFound
  WorkPlan plan(const std::string& id);

  // Submits a report (a new change set for review). An editor reports for their
  // country; reviewers and administrators name it ("country").
  // @throws core::InvalidValue, core::Forbidden (not responsible), core::NotFound.
  edit::WriteResult submit(const auth::Principal& who, const WorkPlan& plan, const std::string& activity,
                           const nlohmann::json& body);

  // The approved reports of a plan, oldest submission first.
  std::vector<ProgressReport> reports(const WorkPlan& plan);
  // Where every activity stands now (approved reports, carried from the last meeting).
  PlanState live_state(const WorkPlan& plan);

  // Freezes the report of `meeting`: the approved reports of that meeting, the
  // rest carried from the meeting frozen before. @throws core::Forbidden
  // (editors), core::Conflict (frozen already), core::InvalidValue.
  MeetingReport freeze(const auth::Principal& who, const WorkPlan& plan, const std::string& meeting,
                       const std::string& title, const std::string& held);
  std::vector<MeetingReport> meetings(const WorkPlan& plan) { return plans_.meetings(plan.id); }
  // @throws core::NotFound
  MeetingReport meeting(const WorkPlan& plan, const std::string& meeting);

  // What changed since the last frozen meeting (all of it when none was frozen).
  std::vector<ActivityChange> changes_since_last_meeting(const WorkPlan& plan, std::optional<MeetingReport>& last);

  LiveIndicators live_indicators();

  // Keeps an evidence document (PDF, PNG or JPEG by its content, at most
  // kMaxEvidenceBytes) for a report of `country` on `activity`: who may upload it
  // is who may write that report (edit::EditingPolicy::check_write on the
  // progress collection). A report cites it by its URL; the report goes through review.
  // @throws core::InvalidValue (empty, too large), core::UnsupportedMediaType,
  // core::Forbidden, core::NotFound.
  EvidenceDocument upload(const auth::Principal& who, const WorkPlan& plan, const std::string& activity,
                          std::string content, const std::string& title, const std::string& country);
  // A document for `who` (nullopt: anonymous): anybody's once an approved report
  // of the plan cites it (`path` ends its URL: /workplans/{plan}/evidence/{id});
  // before, its uploader's, reviewers' and administrators' only. @throws core::NotFound.
  EvidenceDocument document(const std::optional<auth::Principal>& who, const WorkPlan& plan, std::int64_t id);

  // Called after a meeting is frozen (where activities stand may change then).
  void on_state_change(std::function<void()> observer) { state_changed_ = std::move(observer); }

 private:
  store::Store& store_;
  store::WorkPlanStore& plans_;
  store::ChangeSetStore& change_sets_;
  edit::ChangeService& changes_;
  const edit::EditingPolicy& policy_;
  std::function<void()> state_changed_;
};

// The ten ASEAN member states (ISO alpha-3), in the order the work plan lists them.
const std::vector<std::string>& asean_member_states();

// The current time, `days_before` days before, RFC 3339 UTC to the second (or millisecond).
std::string utc_now(int days_before = 0, bool millis = false);

}  // namespace amis::workplan
