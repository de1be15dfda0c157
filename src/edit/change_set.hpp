#pragma once
// Change sets (issue 6): every write to published data is a change set that an
// editor drafts and submits and a reviewer approves (applied atomically) or
// rejects. Approved changes become versions of features, kept for ever.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace amis::edit {

enum class ChangeSetState { Draft, Submitted, Approved, Rejected };
const char* to_string(ChangeSetState state);
std::optional<ChangeSetState> parse_change_set_state(std::string_view text);

enum class Operation { Insert, Replace, Delete };
const char* to_string(Operation operation);
std::optional<Operation> parse_operation(std::string_view text);

// A feature's content as stored: geometry as ISO WKB in CRS84 (empty for none)
// and the properties as a JSON object typed by the collection's schema.
struct FeatureState {
  std::vector<std::uint8_t> wkb;
  nlohmann::json properties = nlohmann::json::object();
};

// A short fingerprint of a feature's content (BLAKE2b-128, hex): the ETag of a
// feature and the base a change is checked against when it is approved.
std::string digest(const FeatureState& state);

// One write inside a change set. `base` is the digest of the published feature
// the change was written against (empty for an insert); `fid` is the feature
// changed, or for an insert the feature created once approved.
struct Change {
  std::int64_t seq = 0;
  Operation operation = Operation::Insert;
  std::optional<std::int64_t> fid;
  std::string base;
  FeatureState after;  // empty for a delete
};

struct ChangeSet {
  std::int64_t id = 0;
  std::string collection;
  std::string title;
  std::string author;
  std::string country;  // the author's country, empty for reviewers and admins
  ChangeSetState state = ChangeSetState::Draft;
  std::string created;  // RFC 3339
  std::string submitted;
  std::string reviewed;
  std::string reviewer;
  std::string comment;
  std::int64_t change_count = 0;
};

// A feature (or a catalogue record) changed meanwhile, which blocks an approval.
struct Conflict {
  std::int64_t fid = 0;
  std::string reason;
  std::string record;  // the record's id, for a change set of the catalogue
};

// One version of a feature: number 0 is the state it had when imported.
struct Version {
  std::int64_t fid = 0;
  std::int64_t number = 0;
  std::string operation;  // "import", "insert", "replace", "delete"
  std::optional<std::int64_t> change_set;
  std::string author;
  std::string time;  // RFC 3339; empty for the imported state
  std::optional<FeatureState> state;  // none after a delete
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string time;
  std::string actor;
  std::string action;
  std::string subject;
  std::string detail;
};

// Catalogue records (issue 15) for resources outside AMIS go through the same
// change sets as features: such a change set names kCatalogChangeSets where
// others name their collection; each change carries the record's document
// (catalog::to_json) as `after.properties` (a deletion only {"id": ...}), no
// fid, and as `base` the record_digest of the record it was written against.
inline constexpr std::string_view kCatalogChangeSets = "catalog";
inline bool is_catalog(const ChangeSet& change_set) { return change_set.collection == kCatalogChangeSets; }
// The fingerprint of a record's document (catalog::to_json): its ETag and the
// base its changes are checked against.
std::string record_digest(const nlohmann::json& document);
// The id of the record a catalogue change writes; empty when it names none.
std::string record_id_of(const Change& change);

// One version of a catalogue record: number 0 is the record as it was before
// its first change through a change set (imported or harvested).
struct RecordVersion {
  std::string id;
  std::int64_t number = 0;
  std::string operation;  // "import", "insert", "replace", "delete"
  std::optional<std::int64_t> change_set;
  std::string author;
  std::string time;  // RFC 3339; empty for the state before the first change
  std::optional<nlohmann::json> document;  // none after a delete
};

}  // namespace amis::edit
