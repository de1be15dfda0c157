#include "api/changes/changes_api.hpp"

#include <charconv>

#include "api/common/exception_response.hpp"
#include "api/common/json_exchange.hpp"
#include "api/common/no_store_response.hpp"
#include "core/error.hpp"
#include "federation/change_feed.hpp"

namespace amis::api::changes {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultLimit = 100;
constexpr std::int64_t kMaxLimit = 1000;
// A page stops after the change set that passes this many operations (a page
// holds at least one change set, however large).
constexpr std::size_t kPageOperations = 10000;

std::int64_t integer_param(const http::Request& request, const char* name, std::int64_t fallback, std::int64_t min,
                           std::int64_t max) {
  const auto v = request.param(name);
  if (!v) return fallback;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size() || n < min || n > max)
    throw core::InvalidParameter(name, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return n;
}

json link(const std::string& href, const char* rel) {
  return {{"href", href}, {"rel", rel}, {"type", "application/json"}};
}

}  // namespace

void ChangesApi::register_routes(http::Router& router) {
  router.add("GET", "/changes",
             with_ogcapi_errors([this](http::Request& rq, http::Response& rs) { feed(rq, rs); }));
}

void ChangesApi::feed(http::Request& request, http::Response& response) {
  authenticator_.require(request, {auth::Role::Admin, auth::Role::Reviewer, auth::Role::Node}, "reading the change feed");
  only_params(request, {"since", "limit"});
  const auto since = integer_param(request, "since", 0, 0, std::int64_t{1} << 53);
  const auto limit = integer_param(request, "limit", kDefaultLimit, 1, kMaxLimit);
  auto entries = change_sets_.approved_since(since, limit + 1);
  json changes = json::array();
  std::size_t operations = 0;
  std::int64_t last = since;
  bool more = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (static_cast<std::int64_t>(i) == limit || (i > 0 && operations >= kPageOperations)) {
      more = true;
      break;
    }
    const auto& e = entries[i];
    operations += e.changes.size();
    changes.push_back(federation::feed_entry_json(e.sequence, e.change_set, e.changes));
    last = e.sequence;
  }
  const std::string self = base_url_ + "/changes";
  json links = json::array(
      {link(self + "?since=" + std::to_string(since) + "&limit=" + std::to_string(limit), "self")});
  if (more) links.push_back(link(self + "?since=" + std::to_string(last) + "&limit=" + std::to_string(limit), "next"));
  NoStoreResponse no_store(response);
  send_json(no_store, 200, {{"changes", std::move(changes)}, {"links", std::move(links)}});
}

}  // namespace amis::api::changes
