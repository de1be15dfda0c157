// The catalogue's side of ChangeService (issue 15): records of resources outside
// AMIS written by editors and reviewers as changes of change sets, checked by the
// same policy (country, authorship, review) as features.
#include <sodium.h>

#include <array>
#include <set>

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "edit/change_service.hpp"

namespace amis::edit {
namespace {

constexpr std::size_t kMaxRecordWrites = 1000;

std::string strong_etag(const catalog::Record& record) {
  return "\"" + record_digest(catalog::to_json(record)) + "\"";
}

// A random (version 4) UUID as a URN: the id of a record posted without one.
std::string new_record_id() {
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "urn:uuid:";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}

// The id a write names: the path's for a replace or delete, the record's for an insert.
void settle_id(RecordWrite& w) {
  if (!w.after) return;
  auto& record = *w.after;
  if (w.operation == Operation::Insert && w.id.empty() && record.id.empty())
    record.id = new_record_id();
  if (w.id.empty()) w.id = record.id;
  if (record.id.empty()) record.id = w.id;
  if (record.id != w.id)
    throw core::InvalidValue("id", "the record's id '" + record.id.substr(0, 100) + "' is not '" +
                                       w.id.substr(0, 100) + "', the record it replaces");
}

}  // namespace

store::CatalogStore& ChangeService::catalog() {
  if (!catalog_) throw core::ServerError("the change service has no catalogue");
  return *catalog_;
}

std::optional<std::string> ChangeService::record_etag(std::string_view id) {
  auto record = catalog().record(id);
  if (!record) return std::nullopt;
  return strong_etag(*record);
}

ChangeSet ChangeService::create_record_draft(const auth::Principal& who, std::string title) {
  return new_draft(who, kCatalogChangeSets,
                   title.empty() ? "Changes to the catalogue" : std::move(title));
}

Change ChangeService::prepare_record(const auth::Principal& who, RecordWrite w) {
  settle_id(w);
  if (!catalog::is_valid_record_id(w.id)) {
    if (w.operation != Operation::Insert)
      throw core::NotFound("no record '" + w.id.substr(0, 100) + "' in the catalogue");
    throw core::InvalidValue("id", "a record id is at most 256 of A-Z a-z 0-9 . _ : -");
  }
  auto before = catalog().record(w.id);
  if ((before && before->origin != catalog::RecordOrigin::Authored) ||
      (!before && w.id.starts_with("amis:")))
    throw core::Conflict("record '" + w.id + "' is kept by AMIS from " +
                         (before && before->origin == catalog::RecordOrigin::Harvested
                              ? "its harvest"
                              : "its own collections") +
                         " and changes with its source: it is not edited");
  Change change;
  change.operation = w.operation;
  if (w.operation == Operation::Insert) {
    if (before) throw core::Conflict("record '" + w.id + "' exists: replace it (PUT) instead");
  } else {
    if (!before) throw core::NotFound("no record '" + w.id + "' in the catalogue");
    change.base = record_digest(catalog::to_json(*before));
    if (!w.if_match.empty() && !if_match_accepts(w.if_match, strong_etag(*before)))
      throw core::PreconditionFailed("record '" + w.id + "' has changed: its ETag is now " +
                                     strong_etag(*before));
  }
  policy_.check_record_write(who, before ? &*before : nullptr, w.after ? &*w.after : nullptr);
  if (!w.after) {
    change.after.properties = {{"id", w.id}};
    return change;
  }
  auto& record = *w.after;
  record.origin = catalog::RecordOrigin::Authored;
  record.updated.clear();  // the approval's time
  record.feature_count.reset();
  catalog::validate(record);
  change.after.properties = catalog::to_json(record);
  return change;
}

WriteResult ChangeService::write_records(const auth::Principal& who,
                                         std::vector<RecordWrite> writes, const std::string& title,
                                         std::optional<std::int64_t> into) {
  if (writes.empty()) throw core::InvalidValue("records", "nothing to write");
  if (writes.size() > kMaxRecordWrites)
    throw core::InvalidValue("records",
                             "at most " + std::to_string(kMaxRecordWrites) + " records at once");
  std::set<std::string> written;
  if (into)  // a draft holds one change per record, as it does per feature
    for (const auto& c : change_sets_.changes(draft_of(who, kCatalogChangeSets, *into).id))
      written.insert(record_id_of(c));
  std::vector<Change> changes;
  std::vector<std::string> ids;
  for (auto& w : writes) {
    changes.push_back(prepare_record(who, std::move(w)));
    ids.push_back(record_id_of(changes.back()));
    if (!written.insert(ids.back()).second)
      throw core::Conflict("record '" + ids.back() +
                           "' is changed twice: one change per record in a change set");
  }
  auto result = submit_changes(who, kCatalogChangeSets, changes, title, into);
  result.records = std::move(ids);
  return result;
}

}  // namespace amis::edit
