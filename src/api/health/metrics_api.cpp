#include "api/health/metrics_api.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "monitor/process_metrics.hpp"

#ifndef AMIS_VERSION
#define AMIS_VERSION "unknown"
#endif

namespace amis::api::health {
namespace {

using monitor::PrometheusText;

void write_usage(PrometheusText& out, monitor::UsageRecorder* recorder, monitor::UsageAggregator* aggregator) {
  if (!recorder) return;
  out.family("amis_usage_queue_depth", "gauge", "Usage events waiting for the aggregator.");
  out.sample("amis_usage_queue_depth", {}, static_cast<double>(recorder->queue_depth()));
  out.family("amis_usage_queue_capacity", "gauge", "Usage events the queue holds at most.");
  out.sample("amis_usage_queue_capacity", {}, static_cast<double>(recorder->queue_capacity()));
  out.family("amis_usage_events_total", "counter", "Usage events taken into the queue.");
  out.sample("amis_usage_events_total", {}, static_cast<double>(recorder->accepted()));
  out.family("amis_usage_events_dropped_total", "counter", "Usage events dropped because the queue was full.");
  out.sample("amis_usage_events_dropped_total", {}, static_cast<double>(recorder->dropped()));
  if (!aggregator) return;
  const auto status = aggregator->status();
  out.family("amis_usage_events_written_total", "counter", "Usage events whose counts reached the store.");
  out.sample("amis_usage_events_written_total", {}, static_cast<double>(status.written));
  out.family("amis_usage_write_failures_total", "counter", "Writes of usage counts the store refused (retried).");
  out.sample("amis_usage_write_failures_total", {}, static_cast<double>(status.failed_writes));
}

void write_store(PrometheusText& out, const store::StoreHealth& health) {
  out.family("amis_store_up", "gauge", "Whether each database of the store answers (1) or not (0).");
  for (const auto& d : health.databases)
    out.sample("amis_store_up", {{"backend", health.backend}, {"role", d.role}, {"database", d.name}},
               d.reachable ? 1 : 0);
  out.family("amis_store_replica_lag_seconds", "gauge", "How far a replica's replay is behind the primary.");
  for (const auto& d : health.databases)
    if (d.lag_seconds) out.sample("amis_store_replica_lag_seconds", {{"role", d.role}, {"database", d.name}}, *d.lag_seconds);
  out.family("amis_store_pool_connections", "gauge",
             "Connections of each database's pool: size (the most), open, in_use; and requests waiting.");
  for (const auto& d : health.databases) {
    if (!d.pool) continue;
    const std::pair<const char*, int> states[] = {
        {"size", d.pool->size}, {"open", d.pool->open}, {"in_use", d.pool->in_use}, {"waiting", d.pool->waiting}};
    for (const auto& [state, n] : states)
      out.sample("amis_store_pool_connections", {{"role", d.role}, {"database", d.name}, {"state", state}}, n);
  }
}

}  // namespace

std::string MetricsApi::exposition() {
  PrometheusText out;
  out.family("amis_build_info", "gauge", "The AMIS version and store backend of this node (always 1).");
  const auto health = sources_.store.health();
  out.sample("amis_build_info", {{"version", AMIS_VERSION}, {"backend", health.backend}}, 1);
  sources_.requests.write(out);
  write_usage(out, sources_.usage_recorder, sources_.usage_aggregator);
  write_store(out, health);
  monitor::write_process_metrics(out);
  return out.text();
}

void MetricsApi::register_routes(http::Router& router, std::vector<std::string> allow) {
  router.add("GET", "/metrics", [this, allow = std::move(allow)](http::Request& request, http::Response& response) {
    if (!allow.empty() && std::find(allow.begin(), allow.end(), request.remote_address) == allow.end())
      throw core::Forbidden("/metrics answers only the addresses of [metrics] allow");
    response.send(200, std::string(PrometheusText::kMediaType), exposition(), {{"Cache-Control", "no-store"}});
  });
}

}  // namespace amis::api::health
