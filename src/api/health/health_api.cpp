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
    const bool usable = health.usable();
    const nlohmann::json doc = {{"status", usable ? "ok" : "unavailable"},
                                {"store", {{"backend", health.backend}, {"databases", databases}}}};
    response.send(usable ? 200 : 503, "application/json", doc.dump(),
                  {{"Cache-Control", "no-store"}});
  });
}

}  // namespace amis::api::health
