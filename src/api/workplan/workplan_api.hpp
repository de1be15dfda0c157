#pragma once
// The work-plan API (issue 19): the plans, an activity's history, progress
// reports submitted as change sets, frozen meeting reports, the changes since
// the last meeting, accomplishment rates and the live indicators of activities
// 4.2 and 4.3. JSON and HTML, negotiated as the OGC API pages are (f=, Accept).
#include <string>

#include "auth/authenticator.hpp"
#include "auth/read_access.hpp"
#include "encode/workplan_exports.hpp"
#include "http/router.hpp"
#include "monitor/usage_reports.hpp"
#include "store/usage_store.hpp"
#include "workplan/progress_service.hpp"

namespace amis::api::workplan_api {

// Where activity 4.3's utilization figures come from: the usage tables (issue 18), read
// as /usage/member-states reads them (the same datasets of a state, the same access).
struct UtilizationSource {
  store::UsageStore* usage = nullptr;  // null: no figures
  const auth::ReadAccess* read_access = nullptr;
  bool recording = true;       // [usage] enabled
  bool public_reports = true;  // [usage] public: false, for signed-in accounts only
  monitor::DatasetsOf datasets_of;
};

class WorkPlanApi {
 public:
  // `iati`: the reporting organisation of the IATI export ([workplan] iati_org_*); without
  // its registered identifier the export is refused (409), as IATI requires one.
  WorkPlanApi(store::WorkPlanStore& plans, workplan::ProgressService& progress, const auth::Authenticator& authenticator,
              std::string base_url, encode::IatiPublisher iati = {}, UtilizationSource utilization = {})
      : plans_(plans),
        progress_(progress),
        authenticator_(authenticator),
        base_url_(std::move(base_url)),
        iati_(std::move(iati)),
        utilization_(std::move(utilization)) {}

  void register_routes(http::Router& router);

 private:
  void list_plans(http::Request& request, http::Response& response);
  void get_plan(http::Request& request, http::Response& response);
  void get_activity(http::Request& request, http::Response& response);
  void submit_progress(http::Request& request, http::Response& response);
  void get_accomplishment(http::Request& request, http::Response& response);
  void list_meetings(http::Request& request, http::Response& response);
  void freeze_meeting(http::Request& request, http::Response& response);
  void get_meeting(http::Request& request, http::Response& response);
  void get_changes(http::Request& request, http::Response& response);
  void get_live(http::Request& request, http::Response& response);
  void get_progress(http::Request& request, http::Response& response);
  void get_iati(http::Request& request, http::Response& response);
  void upload_evidence(http::Request& request, http::Response& response);
  void get_evidence(http::Request& request, http::Response& response);

  workplan::WorkPlan require_plan(const http::Request& request);
  nlohmann::json utilization_json() const;
  std::string base(const http::Request& request) const;

  store::WorkPlanStore& plans_;
  workplan::ProgressService& progress_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
  encode::IatiPublisher iati_;
  UtilizationSource utilization_;
};

}  // namespace amis::api::workplan_api
