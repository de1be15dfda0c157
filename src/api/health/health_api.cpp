#include "api/health/health_api.hpp"

#include <nlohmann/json.hpp>

namespace amis::api::health {
namespace {

nlohmann::json database_json(const store::DatabaseHealth& d) {
  nlohmann::json j = {{"role", d.role}, {"name", d.name}, {"reachable", d.reachable}};
  if (d.lag_seconds) j["lagSeconds"] = *d.lag_seconds;
  if (d.pool)
    j["pool"] = {{"size", d.pool->size}, {"open", d.pool->open}, {"inUse", d.pool->in_use},
                 {"waiting", d.pool->waiting}};
  if (!d.error.empty()) j["error"] = d.error;
  return j;
}

}  // namespace

void HealthApi::register_routes(http::Router& router) {
  router.add("GET", "/health", [this](http::Request&, http::Response& response) {
    const auto health = reporter_.health();
    nlohmann::json databases = nlohmann::json::array();
    for (const auto& d : health.databases) databases.push_back(database_json(d));
    // Without its primary a node still answers reads from a replica, and so do
    // the other nodes, which lost the same primary: "read-only" keeps it in the
    // load balancer (writes get 503 in their protocol's form) rather than
    // leaving no node at all while a replica is promoted.
    const bool readable = health.readable();
    const char* status = health.usable() ? "ok" : readable ? "read-only" : "unavailable";
    const nlohmann::json doc = {{"status", status},
                                {"store", {{"backend", health.backend}, {"databases", databases}}}};
    response.send(readable ? 200 : 503, "application/json", doc.dump(),
                  {{"Cache-Control", "no-store"}});
  });
}

}  // namespace amis::api::health
