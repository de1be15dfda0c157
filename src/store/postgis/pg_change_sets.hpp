#pragma once
// Change sets, versions and the audit log in PostgreSQL (issue 14): the tables
// and answers of gpkg/gpkg_change_sets.cpp, for any number of nodes at once.
// An approval is one transaction that locks the change set, the collection's
// catalogue row and the rows of the features it changes (SELECT … FOR UPDATE),
// checks every change against its base and applies all or nothing: of two
// nodes approving at once, one applies and the other sees the outcome. The
// audit log refuses UPDATE, DELETE and TRUNCATE in the database itself.
#include <string>

#include "store/change_sets.hpp"
#include "store/postgis/pg_pool.hpp"

namespace amis::store::postgis {

class PgChangeSets final : public ChangeSetStore {
 public:
  // The tables, for ensure_schema (pg_schema.cpp).
  static const char* schema();

  explicit PgChangeSets(Pool& pool) : pool_(pool) {}

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
  std::vector<FeedEntry> approved_since(std::int64_t since, std::int64_t limit) override;
  SyncApplied apply_synced(const core::Collection& collection, const SyncedChangeSet& synced) override;
  std::int64_t synced_sequence(std::string_view node) override;
  void skip_synced(std::string_view node, std::int64_t last, std::int64_t through, const std::string& actor,
                   const std::string& detail) override;
  std::vector<std::optional<std::int64_t>> synced_fids(std::string_view node, std::string_view collection,
                                                       const std::vector<std::int64_t>& remote_fids) override;

 private:
  Pool& pool_;
};

}  // namespace amis::store::postgis
