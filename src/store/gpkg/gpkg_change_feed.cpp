// The change feed of a national AMIS node and the change sets synced from other
// nodes (issue 16), in the GeoPackage: amis_change_feed numbers approvals in the
// order they were made (an INTEGER PRIMARY KEY of a table never deleted from:
// 1, 2, 3 ... without gaps, since a rolled-back approval takes no number);
// amis_synced and amis_synced_features keep what came from which node.
#include "core/error.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/synced_turn.hpp"

namespace amis::store::gpkg {

using edit::Operation;

void GpkgChangeSets::add_to_feed(const edit::ChangeSet& change_set) {
  if (edit::is_catalog(change_set) || change_set.author.rfind("node:", 0) == 0) return;
  auto s = db_->cached("INSERT INTO amis_change_feed (sequence, change_set) "
                       "VALUES ((SELECT coalesce(max(sequence), 0) + 1 FROM amis_change_feed), ?)");
  s->bind(1, change_set.id);
  s->run();
}

std::vector<FeedEntry> GpkgChangeSets::approved_since(std::int64_t since, std::int64_t limit) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::int64_t, std::int64_t>> rows;
  {
    auto s = db_->cached("SELECT sequence, change_set FROM amis_change_feed WHERE sequence > ? ORDER BY sequence "
                         "LIMIT ?");
    s->bind(1, since);
    s->bind(2, limit);
    while (s->step()) rows.emplace_back(s->column_int(0), s->column_int(1));
  }
  std::vector<FeedEntry> out;
  for (const auto& [sequence, id] : rows) {
    auto cs = read_change_set(id);
    if (!cs) continue;
    out.push_back({sequence, std::move(*cs), read_changes(id)});
  }
  return out;
}

std::int64_t GpkgChangeSets::last_synced(std::string_view node) {
  auto s = db_->cached("SELECT coalesce(max(sequence), 0) FROM amis_synced WHERE node = ?");
  s->bind(1, node);
  s->step();
  return s->column_int(0);
}

std::int64_t GpkgChangeSets::synced_sequence(std::string_view node) {
  std::lock_guard lock(mutex_);
  return last_synced(node);
}

void GpkgChangeSets::skip_synced(std::string_view node, std::int64_t last, std::int64_t through,
                                 const std::string& actor, const std::string& detail) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  if (last_synced(node) != last || through <= last)
    throw core::Conflict("node '" + std::string(node) + "' is no longer at sequence " + std::to_string(last));
  // change_set 0: nothing here came of it; the last sequence moves on past it.
  auto s = db_->cached(
      "INSERT INTO amis_synced (node, sequence, remote_change_set, change_set, collection, remote_approved, applied) "
      "VALUES (?, ?, 0, 0, '', '', ?)");
  s->bind(1, node);
  s->bind(2, through);
  s->bind(3, std::string_view(now()));
  s->run();
  append_audit(actor, "sync-skip", "node " + std::string(node), detail);
  tx.commit();
}

std::vector<std::optional<std::int64_t>> GpkgChangeSets::synced_fids(std::string_view node,
                                                                     std::string_view collection,
                                                                     const std::vector<std::int64_t>& remote_fids) {
  std::lock_guard lock(mutex_);
  std::vector<std::optional<std::int64_t>> out;
  auto s = db_->cached("SELECT fid FROM amis_synced_features WHERE node = ? AND collection = ? AND remote_fid = ?");
  for (const auto remote : remote_fids) {
    s->reset();
    s->bind(1, node);
    s->bind(2, collection);
    s->bind(3, remote);
    out.push_back(s->step() ? std::optional<std::int64_t>(s->column_int(0)) : std::nullopt);
  }
  return out;
}

SyncApplied GpkgChangeSets::apply_synced(const core::Collection& collection, const SyncedChangeSet& synced) {
  if (synced.changes.size() != synced.remote_fids.size()) throw core::ServerError("a synced change without its id");
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  if (auto early = out_of_turn(last_synced(synced.node), synced.sequence)) return *early;
  SyncApplied out;
  out.conflicts = synced_conflicts(synced, [&](std::int64_t fid) { return read_feature(collection, fid); });
  if (!out.conflicts.empty()) {
    out.outcome = SyncOutcome::Conflicts;
    return out;  // the transaction rolls back: nothing changed
  }
  const std::string time = now();
  const auto& cs = synced.change_set;
  auto insert = db_->cached(
      "INSERT INTO amis_change_sets (collection, title, author, country, state, created, submitted, reviewed, "
      "reviewer, comment) VALUES (?1, ?2, ?3, ?4, 'approved', ?5, ?5, ?5, ?3, ?6)");
  const std::string comment = synced_comment(synced);
  insert->bind(1, std::string_view(collection.id));
  insert->bind(2, std::string_view(cs.title));
  insert->bind(3, std::string_view(cs.author));
  insert->bind(4, std::string_view(cs.country));
  insert->bind(5, std::string_view(time));
  insert->bind(6, std::string_view(comment));
  insert->run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_->handle());
  for (const auto& change : synced.changes) add_change(id, change);
  auto written = *read_change_set(id);
  auto list = read_changes(id);
  auto mapping = db_->cached(
      "INSERT OR REPLACE INTO amis_synced_features (node, collection, remote_fid, fid) VALUES (?, ?, ?, ?)");
  edit::SummaryChanges summary;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::optional<edit::FeatureState> before;
    if (list[i].operation != Operation::Insert && list[i].fid) before = read_feature(collection, *list[i].fid);
    apply(collection, written, list[i], time, before ? &*before : nullptr, summary);
    if (list[i].operation != Operation::Insert) continue;
    mapping->reset();
    mapping->bind(1, std::string_view(synced.node));
    mapping->bind(2, std::string_view(collection.id));
    mapping->bind(3, synced.remote_fids[i]);
    mapping->bind(4, *list[i].fid);
    mapping->run();
  }
  refresh_collection(collection, time, summary);
  auto provenance = db_->cached(
      "INSERT INTO amis_synced (node, sequence, remote_change_set, change_set, collection, remote_approved, applied) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  provenance->bind(1, std::string_view(synced.node));
  provenance->bind(2, synced.sequence);
  provenance->bind(3, synced.remote_id);
  provenance->bind(4, id);
  provenance->bind(5, std::string_view(collection.id));
  provenance->bind(6, std::string_view(synced.remote_approved));
  provenance->bind(7, std::string_view(time));
  provenance->run();
  append_audit(cs.author, "sync", "change set " + std::to_string(id),
               collection.id + ", " + std::to_string(list.size()) + " changes; " + comment);
  tx.commit();
  out.change_set = id;
  return out;
}

}  // namespace amis::store::gpkg
