#pragma once
// The work-plan API (issue 19): the plans, an activity's history, progress
// reports submitted as change sets, frozen meeting reports, the changes since
// the last meeting, accomplishment rates and the live indicators of activities
// 4.2 and 4.3. JSON and HTML, negotiated as the OGC API pages are (f=, Accept).
#include <string>

#include "auth/authenticator.hpp"
#include "http/router.hpp"
#include "workplan/progress_service.hpp"

namespace amis::api::workplan_api {

class WorkPlanApi {
 public:
  WorkPlanApi(store::WorkPlanStore& plans, workplan::ProgressService& progress, const auth::Authenticator& authenticator,
              std::string base_url)
      : plans_(plans), progress_(progress), authenticator_(authenticator), base_url_(std::move(base_url)) {}

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
  std::string base(const http::Request& request) const;

  store::WorkPlanStore& plans_;
  workplan::ProgressService& progress_;
  const auth::Authenticator& authenticator_;
  std::string base_url_;
};

}  // namespace amis::api::workplan_api
