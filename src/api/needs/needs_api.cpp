#include "api/needs/needs_api.hpp"

#include <charconv>
#include <limits>

#include "api/common/exception_response.hpp"
#include "api/common/json_exchange.hpp"
#include "api/needs/needs_documents.hpp"
#include "core/error.hpp"

namespace amis::api::needs {
namespace {

using nlohmann::json;
using auth::Role;

constexpr auto kAnyone = {Role::Admin, Role::Reviewer, Role::Editor};
constexpr std::int64_t kPageMax = 1000;
constexpr std::int64_t kExportMax = 100000;
constexpr std::size_t kBodyMax = 64 * 1024;
const http::Headers kNoStore = {{"Cache-Control", "no-store"}};

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

std::int64_t number_param(const http::Request& request, const char* name, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) {
  const auto text = request.param(name);
  if (!text) return fallback;
  const auto n = parse_number(*text);
  if (!n || *n < min || *n > max)
    throw core::InvalidParameter(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return *n;
}

std::int64_t need_id(const http::Request& request) {
  const auto& text = request.path_param("needId");
  const auto id = parse_number(text);
  if (!id) throw core::NotFound("no need '" + text.substr(0, 40) + "'");
  return *id;
}

bool csv_format(const http::Request& request) {
  const auto f = request.param("f").value_or("json");
  if (f != "json" && f != "csv") throw core::InvalidParameter("f", "json or csv");
  return f == "csv";
}

std::string bounded_text(std::string_view name, std::string_view value) {
  if (value.size() > amis::needs::kMaxName)
    throw core::InvalidParameter(std::string(name), "at most " + std::to_string(amis::needs::kMaxName) + " bytes");
  return std::string(value);
}

// The filter of the list's query, and the same query (without paging) for its links.
core::NeedFilter read_filter(const http::Request& request, std::string& query) {
  core::NeedFilter f;
  for (const auto& [name, value] : request.query) {
    if (name == "kind") {
      f.kind = core::parse_need_kind(value);
      if (!f.kind) throw core::InvalidParameter("kind", "dataset, service or data-problem");
    } else if (name == "status") {
      f.status = core::parse_need_status(value);
      if (!f.status)
        throw core::InvalidParameter("status", "new, triaged, planned, in-progress, done, declined or duplicate");
    } else if (name == "country") {
      f.country = bounded_text(name, value);
    } else if (name == "assignee") {
      f.assignee = bounded_text(name, value);
    } else if (name == "submitter") {
      f.submitter = bounded_text(name, value);
    } else if (name == "collection") {
      f.collection = bounded_text(name, value);
    } else if (name == "limit" || name == "offset" || name == "f") {
      continue;
    } else {
      throw core::UnknownParameter(name.substr(0, 40));
    }
    query += (query.empty() ? "" : "&") + name + "=" + http::percent_encode(value);
  }
  return f;
}

json body_of(const http::Request& request) {
  if (request.body.size() > kBodyMax) throw core::InvalidValue("body", "the body is larger than 64 KiB");
  return json_object_body(request);
}

}  // namespace

void NeedsApi::register_routes(http::Router& router) {
  auto bind = [this](void (NeedsApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/needs", bind(&NeedsApi::list));
  router.add("POST", "/needs", bind(&NeedsApi::submit));
  router.add("GET", "/needs/summary", bind(&NeedsApi::summary));  // before /needs/{needId}
  router.add("GET", "/needs/{needId}", bind(&NeedsApi::get));
  router.add("PATCH", "/needs/{needId}", bind(&NeedsApi::triage));
  router.add("POST", "/needs/{needId}/comments", bind(&NeedsApi::comment));
}

std::string NeedsApi::base(const http::Request& request) const { return http::base_url(request, base_url_); }

auth::Principal NeedsApi::signed_in(const http::Request& request, const char* action) const {
  return authenticator_.require(request, kAnyone, action);
}

void NeedsApi::list(http::Request& request, http::Response& response) {
  const auto who = signed_in(request, "reading needs");
  const bool csv = csv_format(request);
  std::string query;
  auto filter = read_filter(request, query);
  filter.offset = number_param(request, "offset", 0, 0, std::numeric_limits<std::int32_t>::max());
  if (csv) {
    // The export: every need of the filter (at most kExportMax), a page of the store at a time.
    filter.limit = number_param(request, "limit", kExportMax, 1, kExportMax);
    if (filter.offset > 0) throw core::InvalidParameter("offset", "the CSV export starts at the newest need");
    auto& out = response.stream(200, "text/csv; charset=utf-8",
                                {{"Cache-Control", "no-store"},
                                 {"Content-Disposition", "attachment; filename=\"amis-needs.csv\""}});
    out.write(needs_csv_header());
    std::string chunk;
    service_.each(who, filter, [&](const core::Need& n) {
      chunk += need_csv_row(n);
      if (chunk.size() >= 64 * 1024) {
        out.write(chunk);
        chunk.clear();
      }
    });
    if (!chunk.empty()) out.write(chunk);
    return;
  }
  filter.limit = number_param(request, "limit", 100, 1, kPageMax);
  std::int64_t matched = 0;
  const auto needs = service_.list(who, filter, &matched);
  send_json(response, 200, needs_page_json(base(request), needs, matched, filter.offset, filter.limit, query), kNoStore);
}

void NeedsApi::submit(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto who = signed_in(request, "submitting needs");
  auto submission = amis::needs::read_submission(body_of(request));
  const auto need = service_.submit(who, std::move(submission));
  const auto b = base(request);
  send_json(response, 201, need_json(b, need),
            {{"Location", b + "/needs/" + std::to_string(need.id)}});
}

void NeedsApi::summary(http::Request& request, http::Response& response) {
  only_params(request, {});
  const bool csv = csv_format(request);
  const auto counts = service_.counts();
  if (csv) return response.send(200, "text/csv; charset=utf-8", summary_csv(counts), kNoStore);
  send_json(response, 200, summary_json(counts), kNoStore);
}

void NeedsApi::get(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto who = signed_in(request, "reading needs");
  const auto id = need_id(request);
  auto doc = need_json(base(request), service_.read(who, id));
  json notes = json::array();
  for (const auto& n : service_.notes(who, id)) notes.push_back(note_json(n));
  doc["notes"] = notes;
  send_json(response, 200, doc, kNoStore);
}

void NeedsApi::triage(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto who = signed_in(request, "triaging needs");
  const auto id = need_id(request);
  const auto body = body_of(request);
  const auto need = service_.triage(who, id, amis::needs::read_triage(body));
  send_json(response, 200, need_json(base(request), need));
}

void NeedsApi::comment(http::Request& request, http::Response& response) {
  only_params(request, {});
  const auto who = signed_in(request, "commenting on needs");
  const auto id = need_id(request);
  const auto note = service_.comment(who, id, amis::needs::read_comment(body_of(request)));
  send_json(response, 201, note_json(note), {{"Location", base(request) + "/needs/" + std::to_string(id)}});
}

}  // namespace amis::api::needs
