#pragma once
// Change sets, versions and the audit log in the GeoPackage (amis_change_sets,
// amis_changes, amis_feature_versions, amis_record_versions, amis_audit). One connection, serialised:
// writes are rare next to reads, which go through GpkgStore's own connections.
#include <memory>
#include <mutex>
#include <string>

#include "edit/collection_summary.hpp"
#include "store/change_sets.hpp"
#include "store/sqlite/database.hpp"

namespace amis::store::gpkg {

class GpkgChangeSets final : public ChangeSetStore {
 public:
  explicit GpkgChangeSets(const std::string& path);

  edit::ChangeSet create(const edit::ChangeSet& change_set, const std::vector<edit::Change>& changes) override;
  std::optional<edit::ChangeSet> change_set(std::int64_t id) override;
  std::vector<edit::ChangeSet> change_sets(const ChangeSetFilter& filter) override;
  void add_changes(std::int64_t change_set, const std::vector<edit::Change>& changes) override;
  std::vector<edit::Change> changes(std::int64_t change_set) override;
  bool transition(std::int64_t id, edit::ChangeSetState from, edit::ChangeSetState to,
                  const std::string& reviewer, const std::string& comment) override;
  std::vector<edit::Conflict> approve(const core::Collection& collection, std::int64_t id,
                                      const std::string& reviewer, const std::string& comment) override;
  std::vector<edit::Conflict> approve_records(std::int64_t id, const std::string& reviewer,
                                              const std::string& comment) override;
  std::vector<edit::RecordVersion> record_history(std::string_view id) override;
  std::optional<edit::FeatureState> current(const core::Collection& collection, std::int64_t fid) override;
  std::vector<edit::Version> history(const core::Collection& collection, std::int64_t fid) override;
  std::int64_t features_as_of(const core::Collection& collection, const std::string& instant, std::int64_t limit,
                              std::int64_t offset, core::FeatureSink& sink) override;
  void audit(const std::string& actor, const std::string& action, const std::string& subject,
             const std::string& detail) override;
  std::vector<edit::AuditEntry> audit_log(std::int64_t limit, std::optional<std::int64_t> before) override;
  std::vector<CountryUpdates> approved_by_country(const std::string& since, const std::string& except) override;
  // The change feed and change sets synced from nodes (gpkg_change_feed.cpp).
  std::vector<FeedEntry> approved_since(std::int64_t since, std::int64_t limit) override;
  SyncApplied apply_synced(const core::Collection& collection, const SyncedChangeSet& synced) override;
  std::int64_t synced_sequence(std::string_view node) override;
  void skip_synced(std::string_view node, std::int64_t last, std::int64_t through, const std::string& actor,
                   const std::string& detail) override;
  std::vector<std::optional<std::int64_t>> synced_fids(std::string_view node, std::string_view collection,
                                                       const std::vector<std::int64_t>& remote_fids) override;

 private:
  std::optional<edit::ChangeSet> read_change_set(std::int64_t id);
  void add_change(std::int64_t change_set, const edit::Change& change);
  std::vector<edit::Change> read_changes(std::int64_t change_set);
  std::string now();
  // Numbers an approved change set of features in the feed (not a node's copy).
  void add_to_feed(const edit::ChangeSet& change_set);
  std::int64_t last_synced(std::string_view node);
  void mark_approved(std::int64_t id, const std::string& time, const std::string& reviewer,
                     const std::string& comment, const std::string& detail);
  std::vector<edit::Conflict> record_conflicts(const std::vector<edit::Change>& changes);
  void apply_record(const edit::ChangeSet& change_set, const edit::Change& change, const std::string& time);
  void record_record_version(const std::string& id, const std::string& operation, const edit::ChangeSet& change_set,
                             const std::string& time, const nlohmann::json* document);
  std::optional<edit::FeatureState> read_feature(const core::Collection& collection, std::int64_t fid);
  // `before`: the published state of a replaced or deleted feature, as the approval read it.
  void apply(const core::Collection& collection, const edit::ChangeSet& change_set, edit::Change& change,
             const std::string& time, const edit::FeatureState* before, edit::SummaryChanges& summary);
  void record_version(const core::Collection& collection, std::int64_t fid, const std::string& operation,
                      const edit::ChangeSet* change_set, const std::string& time,
                      const edit::FeatureState* state);
  // The catalogue's count, extent and time span after an approval's changes
  // (edit/collection_summary.hpp): from the changes, with the R-tree for a side of the
  // extent that a removed geometry was on; a full count where the changes cannot tell.
  void refresh_collection(const core::Collection& collection, const std::string& time,
                          const edit::SummaryChanges& changes);
  void recount_collection(const core::Collection& collection, const std::string& time);
  // The exact side (0 min x, 1 min y, 2 max x, 3 max y) of the rows' extent, all in `bounds`.
  std::optional<double> extent_side(const core::Collection& collection, int side, const core::Envelope& bounds);
  void append_audit(const std::string& actor, const std::string& action, const std::string& subject,
                    const std::string& detail);

  std::string path_;
  std::mutex mutex_;
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace amis::store::gpkg
