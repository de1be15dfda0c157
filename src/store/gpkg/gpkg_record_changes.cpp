// The catalogue's change sets in the GeoPackage (issue 15): an approval writes
// the records (catalog_rows), their versions (amis_record_versions) and the audit
// entry in one transaction of the change sets' connection.
#include <nlohmann/json.hpp>

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "store/gpkg/catalog_rows.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"

namespace amis::store::gpkg {

using edit::ChangeSetState;
using edit::Operation;

std::vector<edit::Conflict> GpkgChangeSets::approve_records(std::int64_t id,
                                                            const std::string& reviewer,
                                                            const std::string& comment) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  auto cs = read_change_set(id);
  if (!cs || cs->state != ChangeSetState::Submitted)
    throw core::Conflict("change set " + std::to_string(id) + " is not submitted");
  if (!edit::is_catalog(*cs))
    throw core::ServerError("change set of a collection, not of the catalogue");
  const auto list = read_changes(id);
  if (auto conflicts = record_conflicts(list); !conflicts.empty()) return conflicts;  // rolls back
  const std::string time = now();
  for (const auto& c : list) apply_record(*cs, c, time);
  mark_approved(
      id, time, reviewer, comment,
      std::string(edit::kCatalogChangeSets) + ", " + std::to_string(list.size()) + " changes");
  tx.commit();
  return {};
}

std::vector<edit::Conflict> GpkgChangeSets::record_conflicts(
    const std::vector<edit::Change>& list) {
  std::vector<edit::Conflict> conflicts;
  for (const auto& c : list) {
    const std::string id = edit::record_id_of(c);
    const auto now = read_record(*db_, id);
    auto conflict = [&](const std::string& reason) { conflicts.push_back({0, reason, id}); };
    if (now && now->origin != catalog::RecordOrigin::Authored)
      conflict("the record is kept by AMIS (" + std::string(catalog::to_string(now->origin)) +
               "), not by editing");
    else if (c.operation == Operation::Insert && now)
      conflict("a record with this id was published meanwhile");
    else if (c.operation != Operation::Insert && !now)
      conflict("the record was deleted after this change was written");
    else if (c.operation != Operation::Insert &&
             edit::record_digest(catalog::to_json(*now)) != c.base)
      conflict("the record was changed after this change was written");
  }
  return conflicts;
}

void GpkgChangeSets::apply_record(const edit::ChangeSet& cs, const edit::Change& change,
                                  const std::string& time) {
  const std::string id = edit::record_id_of(change);
  const std::string operation = edit::to_string(change.operation);
  if (change.operation == Operation::Delete) {
    record_record_version(id, operation, cs, time, nullptr);
    delete_record(*db_, id);
    return;
  }
  auto record = catalog::record_from_json(change.after.properties);
  record.updated = time;
  const auto document = catalog::to_json(record);
  record_record_version(id, operation, cs, time, &document);
  write_record(*db_, std::move(record));
}

// Before the first change of a record made otherwise (imported), its state then
// becomes version 0.
void GpkgChangeSets::record_record_version(const std::string& id, const std::string& operation,
                                           const edit::ChangeSet& cs, const std::string& time,
                                           const nlohmann::json* document) {
  std::int64_t last = -1;
  {
    auto s = db_->cached("SELECT max(version) FROM amis_record_versions WHERE record = ?");
    s->bind(1, std::string_view(id));
    if (s->step() && !s->is_null(0)) last = s->column_int(0);
  }
  auto insert = [&](std::int64_t version, const std::string& op, const edit::ChangeSet* by,
                    const std::string& when, const nlohmann::json* content) {
    auto s = db_->cached(
        "INSERT INTO amis_record_versions (record, version, operation, change_set, author, "
        "valid_from, document) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    s->bind(1, std::string_view(id));
    s->bind(2, version);
    s->bind(3, std::string_view(op));
    if (by) {
      s->bind(4, by->id);
      s->bind(5, std::string_view(by->author));
    }
    if (!when.empty()) s->bind(6, std::string_view(when));
    if (content)
      s->bind(7, std::string_view(
                     content->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    s->run();
  };
  if (last < 0 && operation != "insert") {
    if (auto before = read_record(*db_, id)) {
      const auto previous = catalog::to_json(*before);
      insert(0, "import", nullptr, "", &previous);
    }
    last = 0;
  }
  insert(std::max<std::int64_t>(last + 1, 1), operation, &cs, time, document);
}

std::vector<edit::RecordVersion> GpkgChangeSets::record_history(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT version, operation, change_set, coalesce(author, ''), coalesce(valid_from, ''), "
      "document "
      "FROM amis_record_versions WHERE record = ? ORDER BY version");
  s->bind(1, id);
  std::vector<edit::RecordVersion> out;
  while (s->step()) {
    edit::RecordVersion v;
    v.id = std::string(id);
    v.number = s->column_int(0);
    v.operation = s->column_text(1);
    if (!s->is_null(2)) v.change_set = s->column_int(2);
    v.author = s->column_text(3);
    v.time = s->column_text(4);
    if (!s->is_null(5)) v.document = nlohmann::json::parse(s->column_text(5), nullptr, false);
    out.push_back(std::move(v));
  }
  if (out.empty())
    if (auto now = read_record(*db_, id))
      out.push_back({std::string(id), 0, "import", std::nullopt, "", "", catalog::to_json(*now)});
  return out;
}

}  // namespace amis::store::gpkg
