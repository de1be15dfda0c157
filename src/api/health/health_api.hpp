#pragma once
// GET /health (issue 14): the store's databases as JSON, 200 when the node can
// serve ("ok": its file or primary answers; "read-only": only a replica does)
// and 503 when it cannot ("unavailable"), so that a load balancer (HAProxy
// `option httpchk`) takes it out. Never cached.
#include "http/router.hpp"
#include "store/health.hpp"

namespace amis::api::health {

class HealthApi {
 public:
  explicit HealthApi(store::HealthReporter& reporter) : reporter_(reporter) {}
  void register_routes(http::Router& router);

 private:
  store::HealthReporter& reporter_;
};

}  // namespace amis::api::health
