#include "api/admin/nodes_api.hpp"

#include <charconv>
#include <optional>

#include "api/admin/admin_body.hpp"
#include "api/common/exception_response.hpp"
#include "core/error.hpp"
#include "federation/node_json.hpp"

namespace amis::api::admin {

using nlohmann::json;

namespace {

// "rateLimit": requests a second as a number, or text ("30/min", "off"); absent or null: none.
double rate_limit_member(const json& doc) {
  const auto it = doc.find("rateLimit");
  if (it == doc.end() || it->is_null()) return 0;
  if (it->is_number()) return federation::checked_rate_limit(it->get<double>());
  if (it->is_string()) return federation::parse_rate_limit(it->get<std::string>());
  throw core::InvalidValue("rateLimit", "a rate limit is a number of requests a second or a text such as \"30/min\"");
}

}  // namespace

void NodesApi::register_routes(http::Router& router) {
  auto bind = [this](void (NodesApi::*method)(http::Request&, http::Response&)) {
    return with_ogcapi_errors([this, method](http::Request& rq, http::Response& rs) { (this->*method)(rq, rs); });
  };
  router.add("GET", "/admin/nodes", bind(&NodesApi::list_nodes));
  router.add("POST", "/admin/nodes", bind(&NodesApi::add_node));
  router.add("GET", "/admin/nodes/{name}", bind(&NodesApi::get_node));
  router.add("PATCH", "/admin/nodes/{name}", bind(&NodesApi::change_node));
  router.add("DELETE", "/admin/nodes/{name}", bind(&NodesApi::remove_node));
  router.add("POST", "/admin/nodes/{name}/harvest", bind(&NodesApi::harvest_node));
  router.add("GET", "/admin/nodes/{name}/runs", bind(&NodesApi::list_runs));
  router.add("POST", "/admin/nodes/{name}/sync", bind(&NodesApi::sync_node));
  router.add("GET", "/admin/nodes/{name}/sync", bind(&NodesApi::get_sync));
  router.add("POST", "/admin/nodes/{name}/publish", bind(&NodesApi::publish));
  router.add("GET", "/admin/publications", bind(&NodesApi::list_publications));
  router.add("GET", "/admin/publications/{collection}", bind(&NodesApi::get_publication));
  router.add("DELETE", "/admin/publications/{collection}", bind(&NodesApi::withdraw_publication));
  router.add("POST", "/admin/publications/{collection}/sync", bind(&NodesApi::sync_publication));
}

auth::Principal NodesApi::require_admin(const http::Request& request,
                                       std::initializer_list<std::string_view> parameters) {
  for (const auto& [name, value] : request.query) {
    bool known = name == "f";
    for (auto p : parameters) known = known || name == p;
    if (!known) throw core::UnknownParameter(name);
  }
  return authenticator_.require(request, {auth::Role::Admin}, "managing national nodes");
}

void NodesApi::list_nodes(http::Request& request, http::Response& response) {
  require_admin(request);
  json nodes = json::array();
  for (const auto& n : registry_.nodes()) nodes.push_back(federation::node_json(n));
  send_json(response, 200, {{"nodes", nodes}});
}

void NodesApi::add_node(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto doc = body_object(request, {"name", "url", "kind", "country", "schedule", "token", "rateLimit"});
  federation::Node node;
  node.name = text_member(doc, "name", true);
  node.url = text_member(doc, "url", true);
  node.kind = federation::parse_node_kind(text_member(doc, "kind", true));
  node.country = text_member(doc, "country", true);
  const auto schedule = text_member(doc, "schedule", false);
  node.schedule_seconds = federation::parse_schedule(schedule.empty() ? "6h" : schedule);
  node.token = text_member(doc, "token", false);
  node.rate_limit = rate_limit_member(doc);
  const auto added = registry_.add(node);
  send_json(response, 201, federation::node_json(added), {{"Location", "/admin/nodes/" + added.name}});
}

void NodesApi::get_node(http::Request& request, http::Response& response) {
  require_admin(request);
  auto doc = federation::node_json(registry_.node(request.path_param("name")));
  const auto runs = registry_.runs(request.path_param("name"), 1);
  doc["lastRun"] = runs.empty() ? json(nullptr) : federation::run_json(runs.front());
  doc["sync"] = federation::sync_json(sync_.last(request.path_param("name")));
  send_json(response, 200, doc);
}

void NodesApi::remove_node(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto& name = request.path_param("name");
  const auto withdrawn = registry_.remove(name);
  send_json(response, 200, {{"name", name}, {"removed", true}, {"withdrawn", withdrawn}});
}

// A merge patch of the node's settings: a member given is set, null clears it (no token,
// no rate limit, no schedule); a member absent stays.
void NodesApi::change_node(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto doc = body_object(request, {"schedule", "token", "rateLimit"}, true);
  federation::NodeSettings settings;
  if (doc.contains("schedule")) {
    const auto schedule = text_member(doc, "schedule", false);
    settings.schedule_seconds = federation::parse_schedule(schedule.empty() ? "off" : schedule);
  }
  if (doc.contains("token")) settings.token = text_member(doc, "token", false);
  if (doc.contains("rateLimit")) settings.rate_limit = rate_limit_member(doc);
  auto changed = federation::node_json(registry_.change(request.path_param("name"), settings));
  send_json(response, 200, changed);
}

void NodesApi::harvest_node(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto node = registry_.node(request.path_param("name"));
  if (!queue_harvest_) {
    send_json(response, 200, federation::run_json(registry_.harvest(node.name)));
    return;
  }
  const bool queued = queue_harvest_(node.name);
  send_json(response, 202, {{"node", node.name}, {"queued", queued},
                            {"runs", "/admin/nodes/" + node.name + "/runs"}},
            {{"Location", "/admin/nodes/" + node.name + "/runs"}});
}

void NodesApi::list_runs(http::Request& request, http::Response& response) {
  require_admin(request, {"limit"});
  std::int64_t limit = 20;
  if (auto v = request.param("limit")) {
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
    if (ec != std::errc{} || end != v->data() + v->size() || limit < 1 || limit > 1000)
      throw core::InvalidParameter("limit", "limit is 1 to 1000");
  }
  json runs = json::array();
  for (const auto& r : registry_.runs(request.path_param("name"), limit)) runs.push_back(federation::run_json(r));
  send_json(response, 200, {{"runs", runs}});
}

namespace {

// The sequence of {"skip": N} (a positive integer), if the body asks for a skip.
std::optional<std::int64_t> skip_of(const http::Request& request) {
  if (request.body.empty()) return std::nullopt;
  const auto doc = body_object(request, {"skip"});
  if (!doc.contains("skip") || doc["skip"].is_null()) return std::nullopt;
  if (!doc["skip"].is_number_integer() || doc["skip"].get<std::int64_t>() < 1)
    throw core::InvalidValue("skip", "'skip' is the sequence the sync stopped at (the report's stoppedAt)");
  return doc["skip"].get<std::int64_t>();
}

}  // namespace

void NodesApi::sync_node(http::Request& request, http::Response& response) {
  const auto who = require_admin(request);
  const auto node = sync_.amis_node(request.path_param("name"));
  if (const auto skip = skip_of(request)) sync_.skip(node.name, *skip, who.user);
  if (!sync_queue_) {
    send_json(response, 200, federation::sync_json(sync_.sync(node.name)));
    return;
  }
  const bool queued = sync_queue_->request(node.name);
  const std::string where = "/admin/nodes/" + node.name + "/sync";
  send_json(response, 202, {{"node", node.name}, {"queued", queued}, {"report", where}}, {{"Location", where}});
}

void NodesApi::get_sync(http::Request& request, http::Response& response) {
  require_admin(request);
  const auto node = sync_.amis_node(request.path_param("name"));
  const std::string_view state = sync_queue_ ? sync_queue_->state(node.name) : std::string_view("idle");
  send_json(response, 200, {{"node", node.name}, {"state", state}, {"report", federation::sync_json(sync_.last(node.name))}});
}

}  // namespace amis::api::admin
