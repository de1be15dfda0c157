// OpenAPI: work-plan progress monitoring (api/workplan, issue 19).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const json kObject = {{"type", "object"}};
const json kText = {{"type", "string"}};

json plan_id() { return path_parameter("planId", "The work plan's id, such as ASOMM3-WP-2022-2025."); }

json rule_parameter() {
  return query_parameter("rule",
                         "The accomplishment rule: outputs (expected outputs whose milestones are all met; default) or "
                         "action-lines (activities completed, as the 2016-2020 plan was reported).",
                         {{"type", "string"}, {"enum", {"outputs", "action-lines"}}, {"default", "outputs"}});
}

json page(const std::string& id, const std::string& summary, json parameters, std::initializer_list<int> errors) {
  return negotiated_page(id, summary, "Work plan", std::move(parameters), errors);
}

// A page that also answers f=<extra> (pdf, csv) with `media`.
json page_or(const std::string& id, const std::string& summary, json parameters, const char* extra, const char* media) {
  parameters.push_back(query_parameter("f", std::string("json, html or ") + extra,
                                       {{"type", "string"}, {"enum", {"json", "html", extra}}}));
  json op = operation(id, summary, "Work plan", std::move(parameters), error_responses({400, 404, 406}));
  op["responses"]["200"] = body_response(summary, "application/json", kObject);
  op["responses"]["200"]["content"]["text/html"] = {{"schema", kText}};
  op["responses"]["200"]["content"][media] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  return op;
}

json progress_body() {
  const json list = {{"type", "array"}, {"maxItems", 100}, {"items", kObject}};
  return {{"type", "object"},
          {"required", {"meeting", "status"}},
          {"properties",
           {{"meeting", {{"type", "string"}, {"pattern", "^[A-Za-z0-9._+-]{1,64}$"}}},
            {"status", {{"type", "string"}, {"enum", {"not_started", "ongoing", "completed", "delayed", "discontinued"}}}},
            {"narrative", kText},
            {"country", {{"type", "string"}, {"description", "The reporting member state (reviewers and administrators)"}}},
            {"events", list},
            {"indicators", list},
            {"evidence", list}}}};
}

}  // namespace

void add_workplan_paths(json& paths, json& /*components*/) {
  const std::string p = "/workplans/{planId}";
  paths["/workplans"] = {{"get", page("getWorkPlans", "The work plans", json::array(), {400, 406})}};
  paths[p] = {{"get", page("getWorkPlan", "A work plan: programme areas, activities, expected outputs, Appendix fields, "
                                          "status and accomplishment",
                           json::array({plan_id(), rule_parameter()}), {400, 404, 406})}};
  paths[p + "/activities/{activityId}"] = {
      {"get", page("getWorkPlanActivity", "An activity and its approved progress reports",
                   json::array({plan_id(), path_parameter("activityId", "The activity's number, such as 4.2.")}),
                   {400, 404, 406})}};
  json submit = operation("submitProgress",
                          "Submits a progress report as a change set for the Secretariat's review (lead, co-lead or "
                          "country coordinator of the activity)",
                          "Work plan",
                          json::array({plan_id(), path_parameter("activityId", "The activity's number.")}),
                          error_responses({400, 401, 403, 404, 409, 415}));
  submit["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", progress_body()}}}}}};
  submit["responses"]["202"] = body_response("The change set, submitted for review", "application/json", kObject);
  submit["responses"]["201"] = body_response("The change set, published at once", "application/json", kObject);
  submit["security"] = signed_in(true);
  paths[p + "/activities/{activityId}/progress"] = {{"post", submit}};
  paths[p + "/accomplishment"] = {
      {"get", page("getAccomplishment", "The accomplishment rate per programme area and overall (k of n (x%))",
                   json::array({plan_id(), rule_parameter(),
                                query_parameter("meeting", "Recompute for this frozen meeting instead of now.")}),
                   {400, 404, 406})}};
  json freeze = operation("freezeMeeting", "Freezes a meeting's report (Secretariat: reviewers and administrators)",
                          "Work plan", json::array({plan_id()}), error_responses({400, 401, 403, 404, 409, 415}));
  freeze["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema",
           {{"type", "object"},
            {"required", {"meeting"}},
            {"properties", {{"meeting", kText}, {"title", kText}, {"held", {{"type", "string"}, {"format", "date"}}}}}}}}}}}};
  freeze["responses"]["201"] = body_response("The frozen meeting report", "application/json", kObject);
  freeze["security"] = signed_in(true);
  paths[p + "/meetings"] = {{"get", page("getMeetings", "The frozen meeting reports", json::array({plan_id()}),
                                         {400, 404, 406})},
                            {"post", freeze}};
  paths[p + "/meetings/{meetingId}"] = {
      {"get", page_or("getMeeting", "A frozen meeting report, its rate recomputed with the rule asked for (f=pdf: "
                                    "as PDF in the work plan's layout)",
                      json::array({plan_id(), path_parameter("meetingId", "The meeting's id."), rule_parameter()}),
                      "pdf", "application/pdf")}};
  paths[p + "/progress"] = {
      {"get", page_or("getProgressReports",
                      "The approved progress reports (f=csv: one row per report and indicator value)",
                      json::array({plan_id(), query_parameter("meeting", "Only the reports of this meeting.")}), "csv",
                      "text/csv")}};
  json iati = operation("getIatiActivities",
                        "The activities as IATI 2.03 activity XML (iati-activities): status now, planned dates, "
                        "lead countries, the latest progress and its evidence",
                        "Work plan", json::array({plan_id()}), error_responses({400, 404, 409}));
  iati["responses"]["200"] = body_response("IATI 2.03 iati-activities", "application/xml", kText);
  paths[p + "/iati-activities"] = {{"get", iati}};
  json upload = operation("uploadEvidence",
                          "Uploads an evidence document (PDF, PNG or JPEG by its content, at most 10 MiB) for a "
                          "progress report: who may write the report may upload; the report cites its href",
                          "Work plan",
                          json::array({plan_id(), path_parameter("activityId", "The activity's number."),
                                       query_parameter("title", "The document's title."),
                                       query_parameter("country", "The reporting member state (reviewers and "
                                                                  "administrators)")}),
                          error_responses({400, 401, 403, 404, 409, 415}));
  upload["requestBody"] = {{"required", true},
                           {"content", {{"application/pdf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                                        {"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                                        {"image/jpeg", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  upload["responses"]["201"] = body_response("The document kept, with its href", "application/json", kObject);
  upload["security"] = signed_in(true);
  paths[p + "/activities/{activityId}/evidence"] = {{"post", upload}};
  json evidence = operation("getEvidence",
                            "An evidence document (public once an approved progress report cites it), as an attachment",
                            "Work plan",
                            json::array({plan_id(), path_parameter("documentId", "The document's id.")}),
                            error_responses({400, 404}));
  evidence["responses"]["200"] = body_response("The document", "application/pdf", {{"type", "string"}, {"format", "binary"}});
  evidence["responses"]["200"]["content"]["image/png"] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  evidence["responses"]["200"]["content"]["image/jpeg"] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  paths[p + "/evidence/{documentId}"] = {{"get", evidence}};
  paths[p + "/changes-since-last-meeting"] = {
      {"get", page("getChangesSinceLastMeeting", "What changed since the last frozen meeting",
                   json::array({plan_id()}), {400, 404, 406})}};
  json live = page_or("getLiveIndicators",
                      "Activity 4.2 (member states with an approved edit in the last 90 days, of 10) and 4.3 "
                      "(approved change sets per member state and the use of its datasets, requests and features "
                      "returned, in the last 365 days); f=csv: one row per member state",
                      json::array({plan_id()}), "csv", "text/csv");
  live["parameters"].back()["schema"]["enum"].push_back("pdf");
  live["parameters"].back()["description"] = "json, html, csv or pdf";
  live["responses"]["200"]["content"]["application/pdf"] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  paths[p + "/live-indicators"] = {{"get", live}};
}

}  // namespace amis::api::features::oas
