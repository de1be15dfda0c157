#include "store/synced_turn.hpp"

namespace amis::store {

std::optional<SyncApplied> out_of_turn(std::int64_t last, std::int64_t sequence) {
  SyncApplied out;
  if (sequence <= last) {
    out.outcome = SyncOutcome::AlreadyApplied;
    return out;
  }
  if (sequence != last + 1) {
    out.outcome = SyncOutcome::OutOfSequence;
    out.expected = last + 1;
    return out;
  }
  return std::nullopt;
}

std::vector<edit::Conflict> synced_conflicts(
    const SyncedChangeSet& synced, const std::function<std::optional<edit::FeatureState>(std::int64_t fid)>& read) {
  std::vector<edit::Conflict> conflicts;
  for (const auto& c : synced.changes) {
    if (c.operation == edit::Operation::Insert) continue;
    if (!c.fid) {
      conflicts.push_back({0, "a change names no feature", {}});
      continue;
    }
    const auto now = read(*c.fid);
    if (!now) conflicts.push_back({*c.fid, "the feature does not exist here", {}});
    else if (edit::digest(*now) != c.base)
      conflicts.push_back({*c.fid, "the feature here is not the version the node's change replaced", {}});
  }
  return conflicts;
}

std::string synced_comment(const SyncedChangeSet& synced) {
  return "synced from node " + synced.node + ": change set " + std::to_string(synced.remote_id) + ", sequence " +
         std::to_string(synced.sequence) + ", approved there " + synced.remote_approved;
}

}  // namespace amis::store
