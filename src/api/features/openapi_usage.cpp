// OpenAPI: the usage reports (api/usage, issue 18).
#include "api/features/openapi_parts.hpp"

namespace amis::api::features::oas {
namespace {

const json kText = {{"type", "string"}};

json totals_properties() {
  return {{"requests", {{"type", "integer"}}},
          {"bytes", {{"type", "integer"}, {"description", "Response bytes sent"}}},
          {"latencyMs", {{"type", "number"}, {"description", "Summed; the mean is latencyMs / requests"}}},
          {"features", {{"type", "integer"}, {"description", "Features returned"}}}};
}

json report_parameters(bool hourly) {
  const std::string period = hourly ? "hour" : "day";
  const json bound = {{"type", "string"},
                      {"pattern", hourly ? "^\\d{4}-\\d{2}-\\d{2}(T\\d{2})?$" : "^\\d{4}-\\d{2}-\\d{2}$"}};
  return json::array(
      {query_parameter("from", "The first " + period + " (UTC), inclusive" + (hourly ? "; a day means its first hour" : ""), bound),
       query_parameter("to", "The last " + period + " (UTC), inclusive" + (hourly ? "; a day means its last hour" : ""), bound),
       query_parameter("group",
                       "Comma-separated dimensions to group by (the rest is summed): " + period +
                           ", collection, service, operation, format, status, client, country. Default: " + period +
                           ",collection,service,operation,country",
                       kText),
       query_parameter("collection", "Only this collection or layer (\"unknown\": names that do not exist)", kText),
       query_parameter("service", "Only this service (features, wfs, wms, wmts, tiles, maps, records, csw, ...)", kText),
       query_parameter("operation", "Only this operation (items, GetMap, GetFeature, tile, ...)", kText),
       query_parameter("country", "Only requesters of this country (ISO 3166-1 alpha-3, or \"unknown\")", kText),
       query_parameter("f", "json (default) or csv: the same rows", {{"type", "string"}, {"enum", {"json", "csv"}}})});
}

json report_operation(bool hourly) {
  const std::string period = hourly ? "hour" : "day";
  json op = operation(hourly ? "getUsageHourly" : "getUsageDaily", "Request counts per " + period +
                                                                        ", grouped and filtered",
                      "Usage", report_parameters(hourly), error_responses({400, 401}));
  json row = {{"type", "object"}, {"properties", totals_properties()}};
  op["responses"]["200"] = body_response(
      "One row per group, with requests, bytes and summed latency", "application/json",
      {{"type", "object"},
       {"required", {"rows", "total"}},
       {"properties",
        {{"table", kText}, {"groupBy", {{"type", "array"}, {"items", kText}}}, {"rows", {{"type", "array"}, {"items", row}}},
         {"total", row}}}});
  op["responses"]["200"]["content"]["text/csv"] = {{"schema", kText}};
  return op;
}

// The expert team's reports: a member state's datasets month by month, and the monthly report.
void add_usage_report_paths(json& paths) {
  const json month = {{"type", "string"}, {"pattern", "^\\d{4}-(0[1-9]|1[0-2])$"}};
  json state = operation(
      "getUsageOfMemberState", "How a member state's datasets are used, and from where, month by month", "Usage",
      json::array({path_parameter("iso3", "An ASEAN Member State (ISO 3166-1 alpha-3)",
                                  {{"type", "string"}, {"pattern", "^[A-Z]{3}$"}}),
                   query_parameter("from", "The first month (YYYY-MM); default 11 months before `to`", month),
                   query_parameter("to", "The last month (YYYY-MM); default this month", month),
                   query_parameter("f", "json (default) or csv: the same rows",
                                   {{"type", "string"}, {"enum", {"json", "csv"}}})}),
      error_responses({400, 401, 404}));
  state["responses"]["200"] = body_response(
      "The state's datasets (relation: record or features) and rows of month x dataset x requester country",
      "application/json", {{"type", "object"}, {"required", {"datasets", "rows", "total"}}});
  state["responses"]["200"]["content"]["text/csv"] = {{"schema", kText}};
  paths["/usage/member-states/{iso3}"] = {{"get", state}};
  json monthly = operation(
      "getUsageMonthlyReport", "The monthly utilization report for the expert team", "Usage",
      json::array({path_parameter("month", "The month (YYYY-MM, UTC days)", month),
                   query_parameter("f", "json (default), csv, html (a printable page) or pdf",
                                   {{"type", "string"}, {"enum", {"json", "csv", "html", "pdf"}}})}),
      error_responses({400, 401}));
  monthly["responses"]["200"] = body_response(
      "Totals, per dataset, per country, per service, top downloads, map views and per member state",
      "application/json", {{"type", "object"}, {"required", {"month", "tables"}}});
  for (const char* media : {"text/csv", "text/html", "application/pdf"})
    monthly["responses"]["200"]["content"][media] = {{"schema", kText}};
  paths["/usage/monthly/{month}"] = {{"get", monthly}};
}

}  // namespace

void add_usage_paths(json& paths, json& /*components*/) {
  json landing = operation("getUsage", "The usage statistics' state (queue, drops, writes) and links", "Usage",
                           json::array(), error_responses({401}));
  landing["responses"]["200"] = body_response("Status and links", "application/json", {{"type", "object"}});
  paths["/usage"] = {{"get", landing}};
  paths["/usage/daily"] = {{"get", report_operation(false)}};
  paths["/usage/hourly"] = {{"get", report_operation(true)}};
  json visitors = operation("getUsageVisitors", "New visitors per day and collection (daily-salted digests)", "Usage",
                            json::array({query_parameter("from", "The first day (UTC)", kText),
                                         query_parameter("to", "The last day (UTC)", kText),
                                         query_parameter("f", "json (default) or csv",
                                                         {{"type", "string"}, {"enum", {"json", "csv"}}})}),
                            error_responses({400, 401}));
  visitors["responses"]["200"] = body_response("Visitors per day and collection (\"\" for the whole service)",
                                               "application/json", {{"type", "object"}});
  visitors["responses"]["200"]["content"]["text/csv"] = {{"schema", kText}};
  paths["/usage/visitors"] = {{"get", visitors}};
  add_usage_report_paths(paths);
}

}  // namespace amis::api::features::oas
