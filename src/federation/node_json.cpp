#include "federation/node_json.hpp"

#include <ctime>

namespace amis::federation {
namespace {

std::string unix_time_text(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

nlohmann::json node_json(const Node& node) {
  using nlohmann::json;
  return {{"name", node.name},
          {"url", node.url},
          {"kind", std::string(to_string(node.kind))},
          {"country", node.country},
          {"schedule", schedule_text(node.schedule_seconds)},
          {"hasToken", !node.token.empty()},
          {"rateLimit", node.rate_limit > 0 ? json(node.rate_limit) : json(nullptr)},
          {"created", node.created},
          {"nextRun", node.schedule_seconds == 0 ? json(nullptr)
                      : node.next_run == 0       ? json("as soon as possible")
                                                 : json(unix_time_text(node.next_run))},
          {"failedRunsInARow", node.failures}};
}

nlohmann::json run_json(const HarvestRun& run) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : run.failures) failures.push_back({{"sourceId", f.source_id}, {"reason", f.reason}});
  nlohmann::json out{{"id", run.id},
                     {"node", run.node},
                     {"status", std::string(to_string(run.status))},
                     {"started", run.started},
                     {"finished", run.finished},
                     {"seen", run.seen},
                     {"added", run.added},
                     {"updated", run.updated},
                     {"unchanged", run.unchanged},
                     {"withdrawn", run.withdrawn},
                     {"failed", run.failed},
                     {"failures", failures},
                     {"seconds", run.seconds},
                     {"workSeconds", run.work_seconds}};
  if (!run.error.empty()) out["error"] = run.error;
  return out;
}

nlohmann::json sync_json(const std::optional<SyncReport>& report) {
  if (!report) return nullptr;
  const auto& r = *report;
  return {{"started", r.started},
          {"finished", r.finished},
          {"status", std::string(to_string(r.status))},
          {"applied", r.applied},
          {"alreadyApplied", r.already},
          {"sequence", r.sequence},
          {"stoppedAt", r.stopped_at == 0 ? nlohmann::json(nullptr) : nlohmann::json(r.stopped_at)},
          {"reason", r.reason.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.reason)},
          {"skipped", r.skipped.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.skipped)},
          {"seconds", r.seconds}};
}

}  // namespace amis::federation
