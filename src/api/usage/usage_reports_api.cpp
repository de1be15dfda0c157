#include "api/usage/usage_reports_api.hpp"

#include <nlohmann/json.hpp>

#include "api/common/exception_response.hpp"
#include "api/usage/monthly_report_documents.hpp"
#include "api/usage/usage_request.hpp"
#include "core/error.hpp"

namespace amis::api::usage {
namespace {

using nlohmann::json;

const http::Headers kNoStore = {{"Cache-Control", "no-store"}};

// A month parameter (YYYY-MM), or `otherwise` when absent.
std::string month_param(const http::Request& rq, const char* name, const std::string& otherwise) {
  const auto value = rq.param(name);
  if (!value || value->empty()) return otherwise;
  if (!monitor::is_month(*value)) throw core::InvalidParameter(name, "a month, YYYY-MM");
  return std::string(*value);
}

// The month `n` months before `month` (YYYY-MM).
std::string months_before(const std::string& month, int n) {
  int index = std::stoi(month.substr(0, 4)) * 12 + std::stoi(month.substr(5, 2)) - 1 - n;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", index / 12, index % 12 + 1);
  return text;
}

std::string format_param(const http::Request& rq, std::initializer_list<std::string_view> allowed) {
  const std::string f(rq.param("f").value_or("json"));
  for (const auto a : allowed)
    if (f == a) return f;
  std::string list;
  for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw core::InvalidParameter("f", list);
}

}  // namespace

void UsageReportsApi::register_routes(http::Router& router) {
  router.add("GET", "/usage/member-states/{iso3}",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { member_state(rq, rs); }));
  router.add("GET", "/usage/monthly/{month}",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { monthly(rq, rs); }));
}

void UsageReportsApi::check_access() const {
  if (!context_.public_reports && !auth::RequestPrincipal::current())
    throw core::Unauthorized("the usage reports are for signed-in accounts");
}

monitor::ShownName UsageReportsApi::shown_name() const {
  const auto& who = auth::RequestPrincipal::current();
  return [this, &who](const std::string& collection) {
    return context_.read_access.may_read(who, collection) ? collection : std::string("restricted");
  };
}

void UsageReportsApi::member_state(http::Request& rq, http::Response& rs) {
  check_access();
  const std::string& iso3 = rq.path_param("iso3");
  std::string name;
  for (const auto& [code, n] : context_.member_states)
    if (code == iso3) name = n;
  if (name.empty()) throw core::NotFound("no member state '" + iso3.substr(0, 16) + "' (ISO 3166-1 alpha-3)");
  const std::string now_month = core::format_date(context_.clock()).substr(0, 7);
  const auto to = month_param(rq, "to", now_month);
  const auto from = month_param(rq, "from", months_before(to, 11));
  if (from > to) throw core::InvalidParameter("from", "a month not after 'to'");
  if (months_before(to, 120) > from) throw core::InvalidParameter("from", "at most 120 months before 'to'");
  const auto f = format_param(rq, {"json", "csv"});
  const auto datasets = context_.datasets_of(iso3);
  const auto rows = monitor::member_state_usage(context_.store, datasets, from, to, shown_name());
  if (f == "csv") {
    std::string out = "month,collection,relation,country,requests,bytes,features\r\n";
    for (const auto& r : rows)
      out += r.month + "," + csv_field(r.collection) + "," + r.relation + "," + csv_field(r.country) + "," +
             std::to_string(r.totals.requests) + "," + std::to_string(r.totals.bytes) + "," +
             std::to_string(r.totals.features) + "\r\n";
    return rs.send(200, "text/csv; charset=utf-8", std::move(out), kNoStore);
  }
  const auto shown = shown_name();
  json list = json::array();
  for (const auto& d : datasets)
    if (shown(d.collection) == d.collection)
      list.push_back({{"collection", d.collection}, {"relation", d.relation}, {"features", d.features}});
  json items = json::array();
  core::UsageTotals total;
  for (const auto& r : rows) {
    items.push_back({{"month", r.month},
                     {"collection", r.collection},
                     {"relation", r.relation},
                     {"country", r.country},
                     {"requests", r.totals.requests},
                     {"bytes", r.totals.bytes},
                     {"features", r.totals.features}});
    total += r.totals;
  }
  const json doc = {{"memberState", iso3},
                    {"name", name},
                    {"from", from},
                    {"to", to},
                    {"datasets", std::move(list)},
                    {"rows", std::move(items)},
                    {"total", {{"requests", total.requests}, {"bytes", total.bytes}, {"features", total.features}}}};
  rs.send(200, "application/json", doc.dump(), kNoStore);
}

void UsageReportsApi::monthly(http::Request& rq, http::Response& rs) {
  check_access();
  const std::string& month = rq.path_param("month");
  if (!monitor::is_month(month)) throw core::InvalidParameter("month", "a month, YYYY-MM");
  const auto f = format_param(rq, {"json", "csv", "html", "pdf"});
  std::vector<std::string> states;
  for (const auto& s : context_.member_states) states.push_back(s.first);
  const auto usage = monitor::monthly_usage(context_.store, month, states, context_.datasets_of, shown_name());
  const MonthlyReportPage page{usage, context_.member_states,
                               "Generated " + core::format_utc(context_.clock()) + " from live data"};
  if (f == "csv") return rs.send(200, "text/csv; charset=utf-8", monthly_csv(usage), kNoStore);
  if (f == "html") return rs.send(200, "text/html; charset=utf-8", monthly_html(page), kNoStore);
  if (f == "pdf") {
    auto headers = kNoStore;
    headers.push_back({"Content-Disposition", "inline; filename=\"amis-utilization-" + month + ".pdf\""});
    return rs.send(200, "application/pdf", monthly_pdf(page), headers);
  }
  rs.send(200, "application/json", monthly_json(page).dump(), kNoStore);
}

}  // namespace amis::api::usage
