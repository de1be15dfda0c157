#pragma once
// What both stores decide alike before applying a node's change set (issue 16),
// inside their transaction: whether it is the node's next sequence, and which of
// its replaced or deleted features are no longer the version the node's change
// replaced. Backends read; these rules decide.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "store/change_sets.hpp"

namespace amis::store {

// AlreadyApplied or OutOfSequence when `sequence` does not follow `last` (the
// node's last sequence applied); nullopt when it is its turn.
std::optional<SyncApplied> out_of_turn(std::int64_t last, std::int64_t sequence);

// The conflicts of `synced` with the features as `read` gives them now.
std::vector<edit::Conflict> synced_conflicts(
    const SyncedChangeSet& synced, const std::function<std::optional<edit::FeatureState>(std::int64_t fid)>& read);

// The comment of the change set made here: where it came from.
std::string synced_comment(const SyncedChangeSet& synced);

}  // namespace amis::store
