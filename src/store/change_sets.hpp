#pragma once
// Change sets, feature versions and the audit log, kept with the data (issue 6).
// The store applies an approved change set in one transaction: all of it is
// published, or none of it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/collection.hpp"
#include "core/feature_sink.hpp"
#include "edit/change_set.hpp"

namespace amis::store {

struct ChangeSetFilter {
  std::optional<edit::ChangeSetState> state;
  std::optional<std::string> author;
  std::optional<std::string> collection;
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

// How often a member state's editors had change sets approved (issue 19:
// activity 4.2's "member states updating their databases", 4.3's frequency).
struct CountryUpdates {
  std::string country;
  std::int64_t approved = 0;  // change sets approved since the given time
  std::string last;           // RFC 3339: the latest approval
};

// The change feed of a national AMIS node (issue 16): its approved change sets
// of features, numbered 1, 2, 3 ... in the order approved, without gaps.
struct FeedEntry {
  std::int64_t sequence = 0;
  edit::ChangeSet change_set;
  std::vector<edit::Change> changes;  // fid: the feature written (an insert's once published)
};

// A change set approved at another AMIS node, to apply here as it was there.
// `changes[i].fid` names the feature here (none for an insert), `base` the
// digest of the version the node's change replaced; `remote_fids[i]` the
// feature's id at the node (for an insert, kept to find it again later).
struct SyncedChangeSet {
  std::string node;
  std::int64_t sequence = 0;   // in the node's feed
  std::int64_t remote_id = 0;  // the change set's id at the node
  std::string remote_approved;
  edit::ChangeSet change_set;  // collection, title, author ("node:NAME"), country
  std::vector<edit::Change> changes;
  std::vector<std::int64_t> remote_fids;
};

enum class SyncOutcome { Applied, AlreadyApplied, OutOfSequence, Conflicts };
struct SyncApplied {
  SyncOutcome outcome = SyncOutcome::Applied;
  std::int64_t change_set = 0;  // the change set made here (Applied)
  std::int64_t expected = 0;    // the sequence expected next (OutOfSequence)
  std::vector<edit::Conflict> conflicts;
};

class ChangeSetStore {
 public:
  virtual ~ChangeSetStore() = default;

  // Records a new change set with its changes, in one transaction (id, times
  // and count are set here); returns it.
  virtual edit::ChangeSet create(const edit::ChangeSet& change_set, const std::vector<edit::Change>& changes) = 0;
  virtual std::optional<edit::ChangeSet> change_set(std::int64_t id) = 0;
  virtual std::vector<edit::ChangeSet> change_sets(const ChangeSetFilter& filter) = 0;

  // Adds changes to a draft, in one transaction. A second change to the same
  // feature replaces the first (with its base: it was written against the
  // feature as published then), so a change set holds one change per feature.
  virtual void add_changes(std::int64_t change_set, const std::vector<edit::Change>& changes) = 0;
  virtual std::vector<edit::Change> changes(std::int64_t change_set) = 0;

  // Moves a change set from `from` to `to`, recording the reviewer and comment
  // for approved/rejected. False when it was not in state `from`.
  virtual bool transition(std::int64_t id, edit::ChangeSetState from, edit::ChangeSetState to,
                          const std::string& reviewer, const std::string& comment) = 0;

  // Applies a submitted change set to `collection` and marks it approved, in
  // one transaction with its versions and audit entry. Returns the conflicts
  // (features whose content is no longer the change's base), in which case
  // nothing at all was changed. @throws core::Conflict when it is not submitted.
  virtual std::vector<edit::Conflict> approve(const core::Collection& collection, std::int64_t id,
                                              const std::string& reviewer, const std::string& comment) = 0;

  // Applies a submitted change set of the catalogue (edit::is_catalog) to its
  // records and marks it approved, in one transaction with the records'
  // versions and the audit entry; as approve(), returns the conflicts (records
  // no longer the change's base, or kept by AMIS or a harvest rather than by
  // people), in which case nothing was changed. @throws core::Conflict when it
  // is not submitted.
  virtual std::vector<edit::Conflict> approve_records(std::int64_t id, const std::string& reviewer,
                                                      const std::string& comment) = 0;
  // Every version of a catalogue record, oldest first; a record never changed
  // through a change set has its current state as version 0; none: empty.
  virtual std::vector<edit::RecordVersion> record_history(std::string_view id) = 0;

  // The published content of a feature, or nullopt when there is none.
  virtual std::optional<edit::FeatureState> current(const core::Collection& collection, std::int64_t fid) = 0;
  // Every version of a feature, oldest first (empty for an unknown feature).
  virtual std::vector<edit::Version> history(const core::Collection& collection, std::int64_t fid) = 0;

  // The features of a collection as published at `instant` (RFC 3339 UTC), by
  // fid, pushed into `sink` (feature() only); returns how many. Features never
  // changed since their import are served as imported.
  virtual std::int64_t features_as_of(const core::Collection& collection, const std::string& instant,
                                      std::int64_t limit, std::int64_t offset, core::FeatureSink& sink) = 0;

  // Per author's country (editors only), the change sets approved at or after
  // `since` (RFC 3339 UTC), leaving out those of collection `except`; by country.
  virtual std::vector<CountryUpdates> approved_by_country(const std::string& since, const std::string& except) = 0;

  // The change feed: at most `limit` entries after sequence `since`, in order.
  virtual std::vector<FeedEntry> approved_since(std::int64_t since, std::int64_t limit) = 0;

  // Applies another node's change set in one transaction, as approve() applies
  // a local one (versions, audit entry), recording its provenance (node, remote
  // change set, sequence) and the ids its inserts were given. Nothing is
  // changed unless the sequence is the next of that node's (AlreadyApplied for
  // one applied before, OutOfSequence for a gap) and every replaced or deleted
  // feature is still the change's base (Conflicts).
  virtual SyncApplied apply_synced(const core::Collection& collection, const SyncedChangeSet& synced) = 0;
  // An administrator's skip (issue 16): records sequences after `last` up to
  // and including `through` of `node` as passed over without applying anything
  // (amis_synced with no change set here), with an audit entry by `actor`, in
  // one transaction. @throws core::Conflict when `last` is no longer the node's
  // last sequence (another sync or skip came first).
  virtual void skip_synced(std::string_view node, std::int64_t last, std::int64_t through, const std::string& actor,
                           const std::string& detail) = 0;
  // The last sequence of `node` applied (or skipped) here; 0 for none.
  virtual std::int64_t synced_sequence(std::string_view node) = 0;
  // For each feature id at the node, the id its insert was given here, if it came by a sync.
  virtual std::vector<std::optional<std::int64_t>> synced_fids(std::string_view node, std::string_view collection,
                                                               const std::vector<std::int64_t>& remote_fids) = 0;

  // The append-only audit log.
  virtual void audit(const std::string& actor, const std::string& action, const std::string& subject,
                     const std::string& detail) = 0;
  virtual std::vector<edit::AuditEntry> audit_log(std::int64_t limit, std::optional<std::int64_t> before) = 0;
};

}  // namespace amis::store
