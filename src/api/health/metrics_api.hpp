#pragma once
// GET /metrics (issue 18, operators): Prometheus's text format with a fixed, small
// label set: the requests' counts, latency and bytes, the usage statistics' queue,
// the store's databases and pool, the build and the process. On the service's own
// port it answers only the addresses of [metrics] allow (403 to others, as collection
// names of restricted data appear in it); on a port of its own ([metrics] port) it
// answers whoever reaches that port.
#include <string>
#include <vector>

#include "http/router.hpp"
#include "monitor/request_metrics.hpp"
#include "monitor/usage_aggregator.hpp"
#include "monitor/usage_recorder.hpp"
#include "store/health.hpp"

namespace amis::api::health {

struct MetricsSources {
  monitor::RequestMetrics& requests;
  store::HealthReporter& store;
  monitor::UsageRecorder* usage_recorder = nullptr;      // null when [usage] is off
  monitor::UsageAggregator* usage_aggregator = nullptr;  // null when [usage] is off
};

class MetricsApi {
 public:
  explicit MetricsApi(MetricsSources sources) : sources_(sources) {}
  // `allow`: the peer addresses served; empty serves everyone.
  void register_routes(http::Router& router, std::vector<std::string> allow);
  // The whole exposition, as /metrics answers it.
  std::string exposition();

 private:
  MetricsSources sources_;
};

}  // namespace amis::api::health
