#pragma once
// The editing workflow (issue 6), the same for every write path: a write becomes
// a change in a change set (a draft named by the client, or a new change set
// submitted at once); the author submits or withdraws it; a reviewer approves
// it (the store applies it atomically, refusing conflicts) or rejects it.
// Roles named for direct publishing have their writes approved at once.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/account.hpp"
#include "catalog/record.hpp"
#include "edit/editing_policy.hpp"
#include "edit/grid_changes.hpp"
#include "store/catalog_store.hpp"
#include "store/change_sets.hpp"
#include "store/store.hpp"

namespace amis::edit {

struct WriteResult {
  ChangeSet change_set;
  std::optional<std::int64_t> fid;  // the feature written; for an insert, once published
  bool published = false;
  std::vector<std::int64_t> inserted;  // the fids of published inserts, in order
  std::vector<std::string> records;    // for catalogue writes: the ids of the records written, in order
};

// One write of a batch (a WFS Transaction): `after` for an insert or replace.
struct Write {
  Operation operation = Operation::Insert;
  std::optional<std::int64_t> fid;
  std::optional<FeatureState> after;
  std::string if_match;
};

// One write of a catalogue record (issue 15): `after` for an insert or replace;
// `id` names the record replaced or deleted (an insert takes after's id, or a
// new one when it has none).
struct RecordWrite {
  Operation operation = Operation::Insert;
  std::string id;
  std::optional<catalog::Record> after;
  std::string if_match;
};

class ChangeService {
 public:
  // Without `catalog`, catalogue records cannot be written (records_* throw).
  ChangeService(store::Store& store, store::ChangeSetStore& change_sets, const EditingPolicy& policy,
                store::CatalogStore* catalog = nullptr)
      : store_(store), change_sets_(change_sets), policy_(policy), catalog_(catalog) {}

  // Called after a change set's features are published (approved, or written by
  // a role that publishes directly), with the change set; it must not throw.
  void on_published(std::function<void(const ChangeSet&)> observer) { published_ = std::move(observer); }

  const EditingPolicy& policy() const { return policy_; }

  // The published content of a feature, nullopt when there is none.
  std::optional<FeatureState> current(const core::Collection& collection, std::int64_t fid) {
    return change_sets_.current(collection, fid);
  }

  // The ETag of a published feature ("\"<digest>\""), nullopt when there is none.
  std::optional<std::string> etag(const core::Collection& collection, std::int64_t fid);

  // Writes. `into`: the caller's draft change set to add to; without it, a new
  // change set holding this one change is submitted. `if_match`: the If-Match
  // header, empty when absent. @throws core::NotFound, core::Forbidden,
  // core::PreconditionFailed, core::Conflict.
  WriteResult insert(const auth::Principal& who, const core::Collection& collection, FeatureState after,
                     std::optional<std::int64_t> into);
  WriteResult replace(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                      FeatureState after, std::string_view if_match, std::optional<std::int64_t> into);
  WriteResult patch(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                    std::string_view merge_patch, std::string_view if_match, std::optional<std::int64_t> into);
  WriteResult remove(const auth::Principal& who, const core::Collection& collection, std::int64_t fid,
                     std::string_view if_match, std::optional<std::int64_t> into);

  // Several writes to one collection as one change set (all or none recorded).
  WriteResult write_batch(const auth::Principal& who, const core::Collection& collection, std::vector<Write> writes,
                          const std::string& title, std::optional<std::int64_t> into);

  // Catalogue records for resources outside AMIS, in change sets of
  // kCatalogChangeSets, reviewed and approved as features are. Records kept by
  // AMIS (derived from its collections) or by a harvest are not written here
  // (core::Conflict). @throws core::InvalidValue for a record catalog::validate
  // refuses, core::NotFound, core::Forbidden, core::PreconditionFailed,
  // core::Conflict.
  WriteResult write_records(const auth::Principal& who, std::vector<RecordWrite> writes, const std::string& title,
                            std::optional<std::int64_t> into);
  // The ETag of a published record ("\"<digest>\""), nullopt when there is none.
  std::optional<std::string> record_etag(std::string_view id);
  ChangeSet create_record_draft(const auth::Principal& who, std::string title);

  // A grid replacing coverage `raster`'s file (grid_changes.hpp): `bytes` (a
  // file in any format GDAL reads; `extension` its name's, which some drivers
  // need, or empty) are checked and written as a COG beside the coverage's file,
  // and a change set holding it is submitted (approved at once for roles that
  // publish directly). @throws core::Forbidden (the policy's check_grid_write),
  // core::InvalidValue (GDAL cannot read it, no CRS, ...).
  WriteResult upload_grid(const auth::Principal& who, const store::RasterLayer& raster, std::string_view bytes,
                          const std::string& extension, const std::string& title);
  // Every version of a coverage's grid, oldest first.
  std::vector<GridVersion> grid_history(const store::RasterLayer& raster);
  // Coverage `now` as it was in an approved version (read-only): its version
  // `number`, or else the version it served at `instant` (normalised RFC 3339,
  // compared as features' asOf compares: the last approved at or before it;
  // version 0 before any), with that grid's file (absolute) and bands. nullopt
  // when it had no such version or its file is no longer kept.
  std::optional<store::RasterLayer> past_grid(const store::RasterLayer& now, std::optional<std::int64_t> number,
                                              const std::string& instant);

  ChangeSet create_draft(const auth::Principal& who, const core::Collection& collection, std::string title);
  ChangeSet submit(const auth::Principal& who, std::int64_t id);
  ChangeSet withdraw(const auth::Principal& who, std::int64_t id);
  // @throws core::Conflict listing the features changed meanwhile (nothing applied).
  ChangeSet approve(const auth::Principal& who, std::int64_t id, const std::string& comment);
  ChangeSet reject(const auth::Principal& who, std::int64_t id, const std::string& comment);
  // A new change set undoing an approved one (deleting what it inserted,
  // restoring what it replaced or deleted), submitted for review or published
  // as the caller's writes are. Reviewers and administrators only.
  // @throws core::Conflict when a feature changed again since.
  ChangeSet revert(const auth::Principal& who, std::int64_t id);

  // A change set the caller may read. @throws core::NotFound otherwise.
  ChangeSet read(const auth::Principal& who, std::int64_t id);
  // Editors see their own change sets only.
  std::vector<ChangeSet> list(const auth::Principal& who, store::ChangeSetFilter filter);

  // The collection a change set writes to. @throws core::Conflict when it is gone.
  core::Collection collection_of(const ChangeSet& change_set);

  // The caller's draft of the collection that writes may join, checked before
  // work is spent on them. @throws core::NotFound (not one the caller may
  // read), core::Forbidden (not its author), core::Conflict (not a draft, or
  // of another collection).
  ChangeSet draft_for(const auth::Principal& who, const core::Collection& collection, std::int64_t id);

 private:
  // Records `changes` into the caller's draft `into` of `target` (a collection
  // id or kCatalogChangeSets), or into a new submitted change set, approved at
  // once for roles that publish directly.
  WriteResult submit_changes(const auth::Principal& who, std::string_view target, const std::vector<Change>& changes,
                             const std::string& title, std::optional<std::int64_t> into);
  ChangeSet draft_of(const auth::Principal& who, std::string_view target, std::int64_t id);
  ChangeSet new_draft(const auth::Principal& who, std::string_view target, std::string title);
  // Applies a submitted change set to its collection or to the catalogue.
  std::vector<Conflict> apply(const ChangeSet& change_set, const std::string& reviewer, const std::string& comment);
  bool exists(const ChangeSet& change_set);
  // Points the coverage at a submitted grid change set's file (grid_changes.cpp).
  std::vector<Conflict> apply_grid(const ChangeSet& change_set, const std::string& reviewer,
                                   const std::string& comment);
  // Removes the not approved file of a rejected grid change set.
  void discard_grid(const ChangeSet& change_set);
  Change prepare_record(const auth::Principal& who, RecordWrite write);
  store::CatalogStore& catalog();
  WriteResult write(const auth::Principal& who, const core::Collection& collection, Operation operation,
                    std::optional<std::int64_t> fid, std::optional<FeatureState> after, std::string_view if_match,
                    std::optional<std::int64_t> into);
  // Checks a write against the published feature and the policy.
  Change prepare(const auth::Principal& who, const core::Collection& collection, Write write);

  store::Store& store_;
  store::ChangeSetStore& change_sets_;
  const EditingPolicy& policy_;
  store::CatalogStore* catalog_;
  std::function<void(const ChangeSet&)> published_;
};

// True when an If-Match header value ("*", or a list of entity tags) matches
// the strong ETag `etag`.
bool if_match_accepts(std::string_view header, const std::string& etag);

}  // namespace amis::edit
