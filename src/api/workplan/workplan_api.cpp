#include "api/workplan/workplan_api.hpp"

#include <charconv>

#include "api/common/exception_response.hpp"
#include "api/common/json_exchange.hpp"
#include "api/common/negotiation.hpp"
#include "api/workplan/live_indicator_documents.hpp"
#include "api/workplan/meeting_pdf.hpp"
#include "api/workplan/workplan_documents.hpp"
#include "api/workplan/workplan_html.hpp"
#include "core/error.hpp"
#include "encode/workplan_exports.hpp"

namespace amis::api::workplan_api {
namespace {

using nlohmann::json;
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr auto kAnyone = {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Editor};

workplan::Rule rule_param(const http::Request& request) {
  auto text = request.param("rule");
  if (!text) return workplan::Rule::Outputs;
  auto rule = workplan::parse_rule(*text);
  if (!rule) throw core::InvalidParameter("rule", "one of outputs, action-lines");
  return *rule;
}

// True for f=<name>, a format beside JSON and HTML that this resource offers.
bool wants(const http::Request& request, std::string_view name) {
  const auto f = request.param("f");
  return f && *f == name;
}

std::string text_member(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || it->is_null()) return {};
  if (!it->is_string()) throw core::InvalidValue(name, std::string("'") + name + "' must be a string");
  return it->get<std::string>();
}

}  // namespace

void WorkPlanApi::register_routes(http::Router& router) {
  auto bind = [this](void (WorkPlanApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/workplans", bind(&WorkPlanApi::list_plans));
  router.add("GET", "/workplans/{planId}", bind(&WorkPlanApi::get_plan));
  router.add("GET", "/workplans/{planId}/activities/{activityId}", bind(&WorkPlanApi::get_activity));
  router.add("POST", "/workplans/{planId}/activities/{activityId}/progress", bind(&WorkPlanApi::submit_progress));
  router.add("GET", "/workplans/{planId}/accomplishment", bind(&WorkPlanApi::get_accomplishment));
  router.add("GET", "/workplans/{planId}/meetings", bind(&WorkPlanApi::list_meetings));
  router.add("POST", "/workplans/{planId}/meetings", bind(&WorkPlanApi::freeze_meeting));
  router.add("GET", "/workplans/{planId}/meetings/{meetingId}", bind(&WorkPlanApi::get_meeting));
  router.add("GET", "/workplans/{planId}/changes-since-last-meeting", bind(&WorkPlanApi::get_changes));
  router.add("GET", "/workplans/{planId}/live-indicators", bind(&WorkPlanApi::get_live));
  router.add("GET", "/workplans/{planId}/progress", bind(&WorkPlanApi::get_progress));
  router.add("GET", "/workplans/{planId}/iati-activities", bind(&WorkPlanApi::get_iati));
  router.add("POST", "/workplans/{planId}/activities/{activityId}/evidence", bind(&WorkPlanApi::upload_evidence));
  router.add("GET", "/workplans/{planId}/evidence/{documentId}", bind(&WorkPlanApi::get_evidence));
}

std::string WorkPlanApi::base(const http::Request& request) const { return http::base_url(request, base_url_); }

workplan::WorkPlan WorkPlanApi::require_plan(const http::Request& request) {
  return progress_.plan(request.path_param("planId"));
}

void WorkPlanApi::list_plans(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto format = negotiate(request);
  const auto b = base(request);
  const auto doc = plans_json(b, plans_.plans());
  if (format == Format::Html) return response.send(200, kHtml, html_plans(b, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::get_plan(http::Request& request, http::Response& response) {
  only_params(request, {"rule"});
  const auto rule = rule_param(request);
  const auto format = negotiate(request);
  const auto plan = require_plan(request);
  const auto b = base(request);
  const auto state = progress_.live_state(plan);
  auto doc = plan_json(b, plan, state);
  const auto rate = accomplishment_json(workplan::accomplishment(plan, state, rule));
  if (format == Format::Html) return response.send(200, kHtml, html_plan(b, doc, rate));
  doc["accomplishment"] = rate;
  // The IATI export's reporting organisation; null: not configured, the export is refused.
  doc["iatiReportingOrg"] = iati_.org_ref.empty() ? json(nullptr) : json(iati_.org_ref);
  send_json(response, 200, doc);
}

void WorkPlanApi::get_activity(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto format = negotiate(request);
  const auto plan = require_plan(request);
  const auto& id = request.path_param("activityId");
  const auto* activity = plan.activity(id);
  if (!activity) throw core::NotFound("no activity '" + id.substr(0, 16) + "' in " + plan.id);
  const auto b = base(request);
  const auto doc = activity_page_json(b, plan, *activity, progress_.live_state(plan), progress_.reports(plan));
  if (format == Format::Html) return response.send(200, kHtml, html_activity(b, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::submit_progress(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto plan = require_plan(request);
  const auto who = authenticator_.require(request, kAnyone, "reporting progress");
  const auto body = json_object_body(request);
  const auto result = progress_.submit(who, plan, request.path_param("activityId"), body);
  const auto b = base(request);
  const std::string href = b + "/changesets/" + std::to_string(result.change_set.id);
  json doc = {{"changeSet",
               {{"id", result.change_set.id},
                {"state", edit::to_string(result.change_set.state)},
                {"href", href}}},
              {"published", result.published}};
  send_json(response, result.published ? 201 : 202, doc, {{"Location", href}});
}

void WorkPlanApi::get_accomplishment(http::Request& request, http::Response& response) {
  only_params(request, {"rule", "meeting"});
  const auto rule = rule_param(request);
  const auto format = negotiate(request);
  const auto plan = require_plan(request);
  json doc;
  if (auto meeting = request.param("meeting")) {
    const auto m = progress_.meeting(plan, std::string(*meeting));
    doc = accomplishment_json(workplan::accomplishment(plan, m.state, rule));
    doc["meeting"] = m.meeting;
  } else {
    doc = accomplishment_json(workplan::accomplishment(plan, progress_.live_state(plan), rule));
    doc["meeting"] = nullptr;
  }
  doc["workPlan"] = plan.id;
  if (format == Format::Html) return response.send(200, kHtml, html_accomplishment(base(request), plan.id, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::list_meetings(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto format = negotiate(request);
  const auto plan = require_plan(request);
  const auto b = base(request);
  const auto doc = meetings_json(b, plan, progress_.meetings(plan));
  if (format == Format::Html) return response.send(200, kHtml, html_meetings(b, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::freeze_meeting(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto plan = require_plan(request);
  const auto who = authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer}, "freezing meeting reports");
  const auto body = json_object_body(request);
  for (const auto& [name, value] : body.items())
    if (name != "meeting" && name != "title" && name != "held")
      throw core::InvalidValue(name.substr(0, 40), "unknown member '" + name.substr(0, 40) + "'");
  const auto m = progress_.freeze(who, plan, text_member(body, "meeting"), text_member(body, "title"),
                                  text_member(body, "held"));
  const auto b = base(request);
  send_json(response, 201, meeting_json(b, plan, m, workplan::Rule::Outputs),
            {{"Location", b + "/workplans/" + plan.id + "/meetings/" + m.meeting}});
}

void WorkPlanApi::get_meeting(http::Request& request, http::Response& response) {
  only_params(request, {"rule"});
  const auto rule = rule_param(request);
  const bool pdf = wants(request, "pdf");
  const auto format = pdf ? Format::Json : negotiate(request);
  const auto plan = require_plan(request);
  const auto m = progress_.meeting(plan, request.path_param("meetingId"));
  const auto b = base(request);
  const auto doc = meeting_json(b, plan, m, rule);
  if (pdf)  // meeting and plan ids are letters, digits and . _ + - only: safe in the file name
    return response.send(200, "application/pdf", meeting_pdf(plan_json(b, plan, m.state), doc),
                         {{"Content-Disposition", "inline; filename=\"" + plan.id + "-" + m.meeting + ".pdf\""}});
  if (format == Format::Html) return response.send(200, kHtml, html_meeting(b, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::get_changes(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto format = negotiate(request);
  const auto plan = require_plan(request);
  std::optional<workplan::MeetingReport> last;
  const auto changes = progress_.changes_since_last_meeting(plan, last);
  const auto doc = changes_json(plan, last, changes);
  if (format == Format::Html) return response.send(200, kHtml, html_changes(base(request), doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::get_live(http::Request& request, http::Response& response) {
  only_params(request, {});
  const bool csv = wants(request, "csv");
  const bool pdf = wants(request, "pdf");
  const auto format = csv || pdf ? Format::Json : negotiate(request);
  const auto plan = require_plan(request);
  auto doc = live_json(progress_.live_indicators());
  doc["workPlan"] = plan.id;
  doc["activity4.3"]["utilization"] = utilization_json();
  // The plan id is letters, digits and . _ + - only: safe in the file name.
  if (csv)
    return response.send(200, "text/csv; charset=utf-8", live_csv(doc),
                         {{"Content-Disposition", "attachment; filename=\"" + plan.id + "-live-indicators.csv\""}});
  if (pdf)
    return response.send(200, "application/pdf", live_pdf(plan.title, doc),
                         {{"Content-Disposition", "inline; filename=\"" + plan.id + "-live-indicators.pdf\""}});
  if (format == Format::Html) return response.send(200, kHtml, html_live(base(request), doc));
  send_json(response, 200, doc);
}

json WorkPlanApi::utilization_json() const {
  const auto& u = utilization_;
  json doc = {{"indicator", "requests to each member state's datasets and the features they returned, "
                            "in the last 365 days (the usage statistics)"}};
  const auto& who = auth::RequestPrincipal::current();
  const char* missing = !u.usage ? "this server keeps no usage statistics"
                        : !u.public_reports && !who ? "the usage statistics are for signed-in accounts"
                                                    : nullptr;
  if (missing) {
    doc["available"] = false;
    doc["reason"] = missing;
    return doc;
  }
  const std::string from = workplan::utc_now(365).substr(0, 10), to = workplan::utc_now().substr(0, 10);
  const auto shown = [&](const std::string& c) {
    return !u.read_access || u.read_access->may_read(who, c) ? c : std::string("restricted");
  };
  json states = json::array();
  for (const auto& s : monitor::member_state_utilization(*u.usage, from, to, workplan::asean_member_states(),
                                                         u.datasets_of, shown))
    states.push_back({{"country", s.state},
                      {"datasets", s.datasets},
                      {"requests", s.totals.requests},
                      {"features", s.totals.features},
                      {"bytes", s.totals.bytes}});
  doc.update({{"available", true}, {"recording", u.recording}, {"from", from}, {"to", to}, {"memberStates", states}});
  return doc;
}

}  // namespace amis::api::workplan_api

namespace amis::api::workplan_api {

void WorkPlanApi::get_progress(http::Request& request, http::Response& response) {
  only_params(request, {"meeting"});
  const bool csv = wants(request, "csv");
  const auto format = csv ? Format::Json : negotiate(request);
  const auto plan = require_plan(request);
  const auto meeting = request.param("meeting");
  if (meeting && !workplan::valid_plan_id(*meeting))
    throw core::InvalidParameter("meeting", "a meeting id is 1 to 64 letters, digits, . _ + -");
  auto reports = progress_.reports(plan);
  if (meeting)
    std::erase_if(reports, [&](const workplan::ProgressReport& r) { return r.meeting != *meeting; });
  if (csv) {
    // The plan and meeting ids are letters, digits and . _ + - only: safe in the file name.
    const std::string name = plan.id + (meeting ? "-" + std::string(*meeting) : std::string()) + "-progress.csv";
    auto& out = response.stream(200, "text/csv; charset=utf-8",
                                {{"Content-Disposition", "attachment; filename=\"" + name + "\""}});
    return encode::write_progress_csv(out, plan, reports);
  }
  const auto b = base(request);
  const auto doc = progress_json(b, plan, meeting ? std::string(*meeting) : std::string(), reports);
  if (format == Format::Html) return response.send(200, kHtml, html_progress(b, doc));
  send_json(response, 200, doc);
}

void WorkPlanApi::get_iati(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto plan = require_plan(request);
  const auto state = progress_.live_state(plan);
  // IATI requires the reporting organisation's registered identifier: none is made up.
  if (iati_.org_ref.empty())
    throw core::Conflict("the IATI export needs the reporting organisation's IATI organisation identifier: set "
                         "[workplan] iati_org_ref in amis.toml (docs/workplan.md)");
  auto publisher = iati_;
  publisher.generated = workplan::utc_now();
  auto& out = response.stream(200, "application/xml; charset=utf-8",
                              {{"Content-Disposition", "inline; filename=\"" + plan.id + "-iati-activities.xml\""}});
  encode::write_iati_activities(out, plan, state, publisher);
}

void WorkPlanApi::upload_evidence(http::Request& request, http::Response& response) {
  only_params(request, {"title", "country"});
  const auto plan = require_plan(request);
  const auto who = authenticator_.require(request, kAnyone, "uploading evidence");
  const auto title = request.param("title");
  const auto country = request.param("country");
  const auto d = progress_.upload(who, plan, request.path_param("activityId"), std::move(request.body),
                                  title ? std::string(*title) : std::string(), country ? std::string(*country) : std::string());
  const std::string href = base(request) + "/workplans/" + plan.id + "/evidence/" + std::to_string(d.id);
  send_json(response, 201,
            {{"id", d.id}, {"href", href}, {"title", d.title}, {"mediaType", d.media_type}, {"activity", d.activity},
             {"country", d.country}, {"uploaded", d.uploaded}},
            {{"Location", href}});
}

void WorkPlanApi::get_evidence(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto plan = require_plan(request);
  const auto& text = request.path_param("documentId");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0 || text.size() > 18)
    throw core::NotFound("no evidence document '" + text.substr(0, 20) + "' of " + plan.id);
  auto d = progress_.document(authenticator_.identify(request), plan, id);
  // The type the content was checked to be, never sniffed again by the browser, and a
  // download rather than a page of this origin.
  response.send(200, d.media_type, std::move(d.bytes),
                {{"Content-Disposition", "attachment; filename=\"evidence-" + std::to_string(d.id) + "." +
                                             workplan::evidence_extension(d.media_type) + "\""},
                 {"X-Content-Type-Options", "nosniff"},
                 {"Content-Security-Policy", "sandbox; default-src 'none'"}});
}

}  // namespace amis::api::workplan_api
