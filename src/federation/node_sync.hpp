#pragma once
// The regional AMIS pulls a national AMIS node's change feed (issue 16) and
// applies each change set, in the order approved there, to the collection of the
// same name here, each in one store transaction with its versions and its
// provenance (node, change set and sequence there). The node owns the features
// of its country: a change of another country's feature, or of a feature that
// is no longer the version the node's change replaced, stops the node's sync
// there (a conflict), as does a gap in the sequence; nothing of that change set
// is applied, and the report says why. A feed read twice applies nothing twice.
//
// Features present on both nodes before the first sync (both loaded from the
// same data set) are the same feature by id; features inserted at the node are
// found again by the id recorded when their insert was applied here.
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "edit/editing_policy.hpp"
#include "federation/change_feed.hpp"
#include "federation/node.hpp"
#include "federation/node_client.hpp"
#include "store/change_sets.hpp"
#include "store/node_store.hpp"
#include "store/store.hpp"

namespace amis::federation {

struct SyncOptions {
  FetchLimits limits;
  std::int64_t page_size = 100;      // change sets asked per page
  std::int64_t max_pages = 100000;   // per run: a node that never ends its feed is cut off
};

class NodeSync {
 public:
  NodeSync(store::NodeStore& nodes, store::ChangeSetStore& change_sets, store::Store& store,
           const edit::EditingPolicy& policy, HttpGetter& getter, SyncOptions options = {})
      : nodes_(nodes), change_sets_(change_sets), store_(store), policy_(policy), getter_(getter), options_(options) {}

  // Syncs the node now and keeps the report (whatever its status).
  // @throws core::NotFound, core::InvalidValue for a node that is not an AMIS,
  // core::Conflict when this node's sync is running.
  SyncReport sync(std::string_view node);
  // An administrator's way past a stop (issue 16): `sequence` is the report's
  // stoppedAt. A conflict's change set is passed over (nothing of it applied
  // here); for a gap, the missing sequences before it are. Kept in the store
  // (amis_synced, the audit log by `actor`) and in the node's report (status
  // skipped; the next run names it in `skipped`). Run sync() after it.
  // @throws core::NotFound, core::Conflict when the node's sync did not stop at
  // `sequence` (or is running).
  SyncReport skip(std::string_view node, std::int64_t sequence, const std::string& actor);
  // Checks that the node is an AMIS node (it has a change feed).
  // @throws core::NotFound, core::InvalidValue.
  Node amis_node(std::string_view node);
  // The node's latest report. @throws core::NotFound for an unknown node.
  std::optional<SyncReport> last(std::string_view node);

 private:
  // Applies one change set of the feed; returns why it stopped the sync (empty: applied).
  std::string apply(const Node& node, const FeedChangeSet& entry, SyncReport& report);

  store::NodeStore& nodes_;
  store::ChangeSetStore& change_sets_;
  store::Store& store_;
  const edit::EditingPolicy& policy_;
  HttpGetter& getter_;
  SyncOptions options_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> running_;
};

}  // namespace amis::federation
