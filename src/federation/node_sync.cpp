#include "federation/node_sync.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/error.hpp"
#include "edit/feature_input.hpp"
#include "encode/geojson_writer.hpp"  // utc_timestamp
#include "federation/running_mark.hpp"

namespace amis::federation {
namespace {

std::string conflict_text(const std::vector<edit::Conflict>& conflicts) {
  std::string text;
  for (std::size_t i = 0; i < conflicts.size() && i < 10; ++i) {
    if (!text.empty()) text += "; ";
    text += "feature " + std::to_string(conflicts[i].fid) + " here: " + conflicts[i].reason;
  }
  if (conflicts.size() > 10) text += "; and " + std::to_string(conflicts.size() - 10) + " more";
  return text;
}

}  // namespace

std::optional<SyncReport> NodeSync::last(std::string_view node) {
  if (!nodes_.node(node)) throw core::NotFound("no national node '" + std::string(node) + "'");
  return nodes_.sync_report(node);
}

Node NodeSync::amis_node(std::string_view name) {
  auto found = nodes_.node(name);
  if (!found) throw core::NotFound("no national node '" + std::string(name) + "'");
  if (found->kind != NodeKind::Amis)
    throw core::InvalidValue("kind", "node '" + found->name + "' is not an AMIS node: it has no change feed");
  return std::move(*found);
}

SyncReport NodeSync::skip(std::string_view name, std::int64_t sequence, const std::string& actor) {
  const Node node = amis_node(name);
  RunningMark running(mutex_, running_, node.name, "sync");
  auto report = nodes_.sync_report(node.name);
  if (!report || report->status != SyncStatus::Stopped || report->stopped_at != sequence)
    throw core::Conflict("the sync of node '" + node.name + "' did not stop at sequence " + std::to_string(sequence) +
                         ": only the change set (or gap) that stopped it is skipped");
  const std::int64_t last = change_sets_.synced_sequence(node.name);
  // A conflict stops at the next sequence: that one is passed over. A gap stops
  // at the sequence after the missing ones: those are.
  const std::int64_t through = sequence == last + 1 ? sequence : sequence - 1;
  if (through <= last)
    throw core::Conflict("node '" + node.name + "' has already applied sequence " + std::to_string(last));
  const std::string what = through == last + 1 ? "sequence " + std::to_string(through)
                                               : "sequences " + std::to_string(last + 1) + " to " +
                                                     std::to_string(through);
  const std::string detail = what + " of node " + node.name + " skipped; it had stopped the sync: " + report->reason;
  change_sets_.skip_synced(node.name, last, through, actor, detail);
  report->status = SyncStatus::Skipped;
  report->skipped = what + " skipped by " + actor + " at " + encode::utc_timestamp() + " (" + report->reason + ")";
  report->sequence = through;
  nodes_.save_sync_report(*report);
  spdlog::info("federation: {} of node '{}' skipped by an administrator", what, node.name);
  return *report;
}

SyncReport NodeSync::sync(std::string_view name) {
  const Node node = amis_node(name);
  RunningMark running(mutex_, running_, node.name, "sync");
  const auto previous = nodes_.sync_report(node.name);
  const auto began = std::chrono::steady_clock::now();
  SyncReport report;
  report.node = node.name;
  report.started = encode::utc_timestamp();
  if (previous && previous->status == SyncStatus::Skipped) report.skipped = previous->skipped;
  auto stop = [&](SyncStatus status, std::int64_t at, std::string reason) {
    report.status = status;
    report.stopped_at = at;
    report.reason = std::move(reason);
  };
  try {
    NodeClient client(node, getter_, options_.limits);
    const NodeUrl origin = parse_node_url(node.url);
    std::int64_t since = change_sets_.synced_sequence(node.name);
    for (std::int64_t pages = 0; pages < options_.max_pages && report.reason.empty(); ++pages) {
      const auto url = with_path(origin, "/changes",
                                 "since=" + std::to_string(since) + "&limit=" + std::to_string(options_.page_size));
      FeedLimits limits;
      limits.max_bytes = options_.limits.max_bytes;
      const FeedPage page = read_change_feed(client.get(url, "application/json"), limits);
      for (const auto& entry : page.changes) {
        if (entry.sequence <= since) {  // the node sent what was applied before
          ++report.already;
          continue;
        }
        if (entry.sequence != since + 1) {
          stop(SyncStatus::Stopped, entry.sequence,
               "gap in the change feed: sequence " + std::to_string(since + 1) + " is missing (the feed goes on at " +
                   std::to_string(entry.sequence) + ")");
          break;
        }
        if (auto why = apply(node, entry, report); !why.empty()) {
          stop(SyncStatus::Stopped, entry.sequence,
               "change set " + std::to_string(entry.change_set) + " (sequence " + std::to_string(entry.sequence) +
                   ") of collection '" + entry.collection + "' not applied: " + why);
          break;
        }
        since = entry.sequence;
      }
      if (page.changes.empty() || page.next.empty()) break;
    }
    report.sequence = since;
  } catch (const FetchFailed& e) {
    stop(SyncStatus::Failed, 0, std::string("the node's change feed could not be read: ") + e.what());
  } catch (const core::OgcError& e) {
    stop(SyncStatus::Failed, 0, std::string("the node's change feed is not valid: ") + e.what());
  } catch (const std::exception& e) {  // the store failed
    stop(SyncStatus::Failed, 0, e.what());
  }
  if (report.sequence == 0) report.sequence = change_sets_.synced_sequence(node.name);
  report.finished = encode::utc_timestamp();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  nodes_.save_sync_report(report);
  if (report.status == SyncStatus::Synced)
    spdlog::info("federation: sync of node '{}': {} change sets applied, at sequence {} ({:.3f} s)", node.name,
                 report.applied, report.sequence, report.seconds);
  else
    spdlog::warn("federation: sync of node '{}' {}: {}", node.name, to_string(report.status), report.reason);
  return report;
}

std::string NodeSync::apply(const Node& node, const FeedChangeSet& entry, SyncReport& report) {
  const auto collection = store_.collection(entry.collection);
  if (!collection) return "there is no collection '" + entry.collection + "' here";
  if (!entry.country.empty() && entry.country != node.country)
    return "a change set of " + entry.country + ", and the node is " + node.country + "'s";
  // The node writes as an editor of its member state would: the editing policy
  // decides, in its one place, whether a feature is the node's to change.
  const auth::Principal writer{"node:" + node.name, auth::Role::Editor, node.country};
  store::SyncedChangeSet synced;
  synced.node = node.name;
  synced.sequence = entry.sequence;
  synced.remote_id = entry.change_set;
  synced.remote_approved = entry.approved;
  synced.change_set.collection = collection->id;
  synced.change_set.title = entry.title.empty() ? "Change set " + std::to_string(entry.change_set) + " of node " +
                                                      node.name
                                                : entry.title;
  synced.change_set.author = writer.user;
  synced.change_set.country = node.country;
  std::vector<std::int64_t> remote;
  for (const auto& op : entry.operations) remote.push_back(op.id);
  const auto mapped = change_sets_.synced_fids(node.name, collection->id, remote);
  for (std::size_t i = 0; i < entry.operations.size(); ++i) {
    const auto& op = entry.operations[i];
    edit::Change change;
    change.operation = op.operation;
    change.base = op.base;
    const std::string which = "feature " + std::to_string(op.id) + " of the node";
    std::optional<edit::FeatureState> before;
    if (op.operation != edit::Operation::Insert) {
      change.fid = mapped[i].value_or(op.id);
      before = change_sets_.current(*collection, *change.fid);
      if (!before) return which + " does not exist here";
      if (edit::digest(*before) != op.base)
        return which + " is not here the version the node's change replaced (a conflict)";
    }
    try {
      if (op.operation != edit::Operation::Delete) change.after = edit::read_feature(*collection, op.feature.dump());
      policy_.check_write(writer, *collection, before ? &*before : nullptr,
                          op.operation == edit::Operation::Delete ? nullptr : &change.after);
    } catch (const core::Forbidden& e) {
      return which + " is not the node's to change: " + e.what();
    } catch (const core::OgcError& e) {
      return which + " does not fit the collection here: " + e.what();
    }
    synced.changes.push_back(std::move(change));
  }
  synced.remote_fids = std::move(remote);
  const auto applied = change_sets_.apply_synced(*collection, synced);
  switch (applied.outcome) {
    case store::SyncOutcome::Applied: ++report.applied; return {};
    case store::SyncOutcome::AlreadyApplied: ++report.already; return {};
    case store::SyncOutcome::OutOfSequence:
      return "another sync applied up to sequence " + std::to_string(applied.expected - 1) + " meanwhile";
    case store::SyncOutcome::Conflicts: return "a conflict: " + conflict_text(applied.conflicts);
  }
  return {};
}

}  // namespace amis::federation
