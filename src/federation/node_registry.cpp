#include "federation/node_registry.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "core/error.hpp"
#include "encode/geojson_writer.hpp"  // utc_timestamp
#include "federation/harvest.hpp"
#include "federation/running_mark.hpp"
#include "federation/sources.hpp"

namespace amis::federation {

Node NodeRegistry::add(Node node) {
  validate(node);
  node.url = parse_node_url(node.url).text();  // one spelling of the host
  node.created = encode::utc_timestamp();
  node.next_run = 0;
  node.failures = 0;
  nodes_.add(node);
  spdlog::info("federation: node '{}' ({}, {}) registered", node.name, to_string(node.kind), node.country);
  return node;
}

Node NodeRegistry::node(std::string_view name) {
  auto n = nodes_.node(name);
  if (!n) throw core::NotFound("no node '" + std::string(name.substr(0, 64)) + "'");
  return *n;
}

Node NodeRegistry::change(std::string_view name, NodeSettings settings) {
  Node n = node(name);
  if (settings.schedule_seconds && *settings.schedule_seconds == n.schedule_seconds) settings.schedule_seconds.reset();
  if (settings.schedule_seconds) {
    n.schedule_seconds = *settings.schedule_seconds;
    n.next_run = n.schedule_seconds > 0 ? static_cast<std::int64_t>(std::time(nullptr)) + n.schedule_seconds : 0;
    settings.next_run = n.next_run;
  }
  if (settings.token) n.token = *settings.token;
  if (settings.rate_limit) n.rate_limit = *settings.rate_limit;
  validate(n);
  if (!nodes_.set_settings(n.name, settings)) throw core::NotFound("no node '" + n.name + "'");
  n = node(name);  // as stored, with what a harvest may have written meanwhile
  spdlog::info("federation: node '{}' settings changed (schedule {}, rate limit {}, {})", n.name,
               schedule_text(n.schedule_seconds), rate_limit_text(n.rate_limit), n.token.empty() ? "no token" : "a token");
  return n;
}

std::int64_t NodeRegistry::remove(std::string_view name) {
  const Node n = node(name);
  RunningMark mark(mutex_, running_, n.name, "harvest");
  std::int64_t withdrawn = 0;
  auto writer = catalog_.writer();
  for (const auto& entry : nodes_.harvested(n.name)) withdrawn += writer->remove(entry.record_id) ? 1 : 0;
  writer->commit();
  nodes_.remove(n.name);
  spdlog::info("federation: node '{}' removed, {} records withdrawn", n.name, withdrawn);
  return withdrawn;
}

std::int64_t NodeRegistry::next_run_after(const Node& node, RunStatus status, std::int64_t failures,
                                          std::int64_t now) const {
  const std::int64_t schedule = node.schedule_seconds > 0 ? node.schedule_seconds : 0;
  if (status != RunStatus::Failed) return schedule > 0 ? now + schedule : 0;
  // A node that is down is tried again later and later, never in a tight loop.
  std::int64_t wait = options_.first_retry_seconds;
  for (std::int64_t i = 1; i < failures && wait < 7 * 86400; ++i) wait *= 2;
  if (schedule > 0) wait = std::min(wait, schedule);
  return now + std::max<std::int64_t>(wait, 1);
}

HarvestRun NodeRegistry::harvest(std::string_view name) {
  const Node n = node(name);
  RunningMark mark(mutex_, running_, n.name, "harvest");
  NodeClient client(n, getter_, options_.limits);
  HarvestRun run;
  try {
    const KnownPages known(nodes_.harvested_pages(n.name));
    auto source = make_source(n, client, schema_.get(), known);
    run = federation::harvest(n, *source, catalog_, nodes_, {[&client] { return client.waited_seconds(); }});
  } catch (const std::exception& e) {  // the store failed: reported as the run's failure
    run.node = n.name;
    run.started = run.started.empty() ? encode::utc_timestamp() : run.started;
    run.finished = encode::utc_timestamp();
    run.status = RunStatus::Failed;
    run.error = e.what();
  }
  run.id = nodes_.add_run(run);
  const std::int64_t failures = run.status == RunStatus::Failed ? n.failures + 1 : 0;
  nodes_.set_schedule_state(n.name, next_run_after(n, run.status, failures, std::time(nullptr)), failures);
  if (run.status == RunStatus::Failed)
    spdlog::warn("federation: harvest of node '{}' failed: {}", n.name, run.error);
  else
    spdlog::info("federation: harvest of node '{}' {}: {} added, {} updated, {} unchanged, {} withdrawn, {} failed in "
                 "{:.3f} s ({:.3f} s of own work, {} requests)",
                 n.name, to_string(run.status), run.added, run.updated, run.unchanged, run.withdrawn, run.failed,
                 run.seconds, run.work_seconds, client.requests());
  return run;
}

std::vector<HarvestRun> NodeRegistry::runs(std::string_view name, std::int64_t limit) {
  const Node n = node(name);
  return nodes_.runs(n.name, limit);
}

}  // namespace amis::federation
