#include "api/usage/usage_api.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "api/common/exception_response.hpp"
#include "api/usage/usage_request.hpp"
#include "core/error.hpp"

namespace amis::api::usage {
namespace {

using nlohmann::json;

const http::Headers kNoStore = {{"Cache-Control", "no-store"}};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

// Rows of collections the caller may not read, merged under "restricted".
std::vector<core::UsageReportRow> hide_restricted(std::vector<core::UsageReportRow> rows, const core::UsageQuery& q,
                                                  const auth::ReadAccess& access) {
  std::size_t column = q.group_by.size();
  for (std::size_t i = 0; i < q.group_by.size(); ++i)
    if (q.group_by[i] == core::UsageDimension::Collection) column = i;
  if (column == q.group_by.size()) return rows;
  const auto& who = auth::RequestPrincipal::current();
  std::map<std::vector<std::string>, core::UsageTotals> merged;
  bool changed = false;
  for (auto& r : rows) {
    auto& name = r.values[column];
    if (!name.empty() && name != "unknown" && !access.may_read(who, name)) {
      name = "restricted";
      changed = true;
    }
    merged[r.values] += r.totals;
  }
  if (!changed) return rows;
  std::vector<core::UsageReportRow> out;
  for (auto& [values, totals] : merged) out.push_back({values, totals});
  return out;
}

}  // namespace

void UsageApi::register_routes(http::Router& router) {
  router.add("GET", "/usage", with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { landing(rq, rs); }));
  router.add("GET", "/usage/daily",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { report(rq, rs, false); }));
  router.add("GET", "/usage/hourly",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { report(rq, rs, true); }));
  router.add("GET", "/usage/visitors",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { visitors(rq, rs); }));
}

void UsageApi::check_access() const {
  if (!context_.public_reports && !auth::RequestPrincipal::current())
    throw core::Unauthorized("the usage reports are for signed-in accounts");
}

void UsageApi::landing(http::Request&, http::Response& rs) {
  check_access();
  json status = {{"enabled", context_.recorder != nullptr}, {"countryDatabase", context_.country_database}};
  if (const auto* r = context_.recorder) {
    status["queueCapacity"] = r->queue_capacity();
    status["queueDepth"] = r->queue_depth();
    status["accepted"] = r->accepted();
    status["dropped"] = r->dropped();
  }
  if (auto* a = context_.aggregator) {
    const auto s = a->status();
    status["written"] = s.written;
    status["pending"] = s.pending;
    status["failedWrites"] = s.failed_writes;
  }
  status["rawEvents"] = context_.store.usage_event_count();
  const json doc = {
      {"title", "AMIS utilization statistics"},
      {"status", status},
      {"links", json::array({{{"rel", "self"}, {"href", "/usage"}, {"type", "application/json"}},
                             {{"rel", "data"}, {"href", "/usage/daily"}, {"type", "application/json"}, {"title", "counts per day"}},
                             {{"rel", "data"}, {"href", "/usage/hourly"}, {"type", "application/json"}, {"title", "counts per hour"}},
                             {{"rel", "data"}, {"href", "/usage/visitors"}, {"type", "application/json"}, {"title", "new visitors per day"}}})}};
  rs.send(200, "application/json", doc.dump(), kNoStore);
}

void UsageApi::report(http::Request& rq, http::Response& rs, bool hourly) {
  check_access();
  const auto parsed = parse_usage_request(rq, hourly);
  const auto& q = parsed.query;
  const auto rows = hide_restricted(context_.store.usage_report(q), q, context_.read_access);
  std::vector<std::string> names;
  for (const auto d : q.group_by) names.push_back(dimension_name(d, hourly));
  if (parsed.csv) {
    std::string out;
    for (const auto& n : names) out += n + ",";
    out += "requests,bytes,latency_ms,features\r\n";
    for (const auto& r : rows) {
      for (const auto& v : r.values) out += csv_field(v) + ",";
      out += std::to_string(r.totals.requests) + "," + std::to_string(r.totals.bytes) + "," +
             number(r.totals.latency_ms) + "," + std::to_string(r.totals.features) + "\r\n";
    }
    return rs.send(200, "text/csv; charset=utf-8", std::move(out), kNoStore);
  }
  json items = json::array();
  core::UsageTotals total;
  for (const auto& r : rows) {
    json item = json::object();
    for (std::size_t i = 0; i < names.size(); ++i) item[names[i]] = r.values[i];
    item["requests"] = r.totals.requests;
    item["bytes"] = r.totals.bytes;
    item["latencyMs"] = r.totals.latency_ms;
    item["features"] = r.totals.features;
    items.push_back(std::move(item));
    total += r.totals;
  }
  const json doc = {{"table", hourly ? "hourly" : "daily"},
                    {"from", q.from},
                    {"to", q.to},
                    {"groupBy", names},
                    {"rows", items},
                    {"total",
                     {{"requests", total.requests},
                      {"bytes", total.bytes},
                      {"latencyMs", total.latency_ms},
                      {"features", total.features}}}};
  rs.send(200, "application/json", doc.dump(), kNoStore);
}

void UsageApi::visitors(http::Request& rq, http::Response& rs) {
  check_access();
  const auto from = parse_day(rq, "from");
  const auto to = parse_day(rq, "to");
  const auto f = rq.param("f").value_or("json");
  if (f != "json" && f != "csv") throw core::InvalidParameter("f", "json or csv");
  const auto& who = auth::RequestPrincipal::current();
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  for (const auto& v : context_.store.visitors(from.empty() ? "0000-00-00" : from, to.empty() ? "9999-99-99" : to)) {
    const bool hidden = !v.collection.empty() && !context_.read_access.may_read(who, v.collection);
    counts[{v.day, hidden ? "restricted" : v.collection}] += v.visitors;
  }
  if (f == "csv") {
    std::string out = "day,collection,visitors\r\n";
    for (const auto& [k, n] : counts) out += k.first + "," + csv_field(k.second) + "," + std::to_string(n) + "\r\n";
    return rs.send(200, "text/csv; charset=utf-8", std::move(out), kNoStore);
  }
  json rows = json::array();
  for (const auto& [k, n] : counts) rows.push_back({{"day", k.first}, {"collection", k.second}, {"visitors", n}});
  rs.send(200, "application/json", json{{"rows", rows}}.dump(), kNoStore);
}

}  // namespace amis::api::usage
