#include "store/postgis/pg_change_apply.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "store/properties_json.hpp"

namespace amis::store::postgis {
namespace {

using edit::Operation;

// A row of amis_feature_versions.
struct VersionRow {
  std::int64_t fid = 0;
  std::int64_t version = 0;
  std::string operation;
  const edit::ChangeSet* by = nullptr;  // none for the imported state
  std::string when;                     // empty for the imported state
  const edit::FeatureState* content = nullptr;  // none for a deletion
};

// Writes version rows of one collection, up to 1,000 rows a statement.
void write_versions(Connection& c, const core::Collection& collection, const std::vector<VersionRow>& versions) {
  constexpr std::size_t kRows = 1000;
  for (std::size_t first = 0; first < versions.size(); first += kRows) {
    Params p;
    p.text(collection.id);
    std::string values;
    for (std::size_t i = first; i < std::min(versions.size(), first + kRows); ++i) {
      const auto& v = versions[i];
      const int n = p.size();
      p.integer(v.fid).integer(v.version).text(v.operation);
      if (v.by) p.integer(v.by->id).text(v.by->author);
      else p.null(oid::kInt8).null(oid::kText);
      if (v.when.empty()) p.null(oid::kText);
      else p.text(v.when);
      if (v.content && !v.content->wkb.empty()) p.bytes(v.content->wkb);
      else p.null(oid::kBytea);
      if (v.content) p.text(properties_text(v.content->properties));
      else p.null(oid::kText);
      values += i == first ? "($1" : ", ($1";
      for (int k = 1; k <= 8; ++k) values += ", $" + std::to_string(n + k);
      values += ")";
    }
    c.exec("INSERT INTO amis_feature_versions (collection, fid, version, operation, change_set, author, valid_from, "
           "geom, properties) VALUES " + values,
           p);
  }
}

// The last version of each of these features that has one.
std::map<std::int64_t, std::int64_t> last_versions(Connection& c, const core::Collection& collection,
                                                   const std::vector<std::int64_t>& fids) {
  std::map<std::int64_t, std::int64_t> out;
  const auto r = c.exec("SELECT fid, max(version) FROM amis_feature_versions WHERE collection = $1 AND "
                        "fid = ANY($2::bigint[]) GROUP BY fid",
                        Params().text(collection.id).integers(fids), Format::Binary);
  for (int i = 0; i < r.rows(); ++i) out[r.integer(i, 0)] = r.integer(i, 1);
  return out;
}

// Records the version a change makes; before the first change of an imported
// feature, its imported state becomes version 0.
void record_version(Connection& c, FeatureRows& rows, const core::Collection& collection, std::int64_t fid,
                    const std::string& operation, const edit::ChangeSet* cs, const std::string& time,
                    const edit::FeatureState* state) {
  const auto known = last_versions(c, collection, {fid});
  std::int64_t last = known.empty() ? -1 : known.begin()->second;
  std::vector<VersionRow> versions;
  std::optional<edit::FeatureState> imported;
  if (last < 0 && operation != "insert") {
    imported = rows.read(fid);
    versions.push_back({fid, 0, "import", nullptr, "", imported ? &*imported : nullptr});
    last = 0;
  }
  versions.push_back({fid, std::max<std::int64_t>(last + 1, 1), operation, cs, time, state});
  write_versions(c, collection, versions);
}

void apply(Connection& c, FeatureRows& rows, const core::Collection& collection, const edit::ChangeSet& cs,
           edit::Change& change, const std::string& time) {
  if (change.operation == Operation::Insert) {
    // A new feature gets the next fid; a restored one (a revert) its own again.
    change.fid = rows.insert(change.fid, change.after);
    c.exec("UPDATE amis_changes SET fid = $1 WHERE change_set = $2 AND seq = $3",
           Params().integer(*change.fid).integer(cs.id).integer(change.seq));
    record_version(c, rows, collection, *change.fid, "insert", &cs, time, &change.after);
    return;
  }
  if (change.operation == Operation::Replace) {
    record_version(c, rows, collection, *change.fid, "replace", &cs, time, &change.after);
    rows.replace(*change.fid, change.after);
    return;
  }
  record_version(c, rows, collection, *change.fid, "delete", &cs, time, nullptr);
  rows.remove(*change.fid);
}

// The new features of a change set, inserted, numbered in amis_changes and
// versioned a few statements at a time, as apply() would one by one.
void apply_new_features(Connection& c, FeatureRows& rows, const core::Collection& collection,
                        const edit::ChangeSet& cs, const std::vector<edit::Change*>& fresh, const std::string& time) {
  if (fresh.empty()) return;
  std::vector<const edit::FeatureState*> states;
  std::vector<std::int64_t> seqs;
  for (const auto* change : fresh) {
    states.push_back(&change->after);
    seqs.push_back(change->seq);
  }
  const auto fids = rows.insert_new(states);
  for (std::size_t i = 0; i < fresh.size(); ++i) fresh[i]->fid = fids[i];
  c.exec("UPDATE amis_changes SET fid = u.fid FROM unnest($2::bigint[], $3::bigint[]) AS u(seq, fid) "
         "WHERE amis_changes.change_set = $1 AND amis_changes.seq = u.seq",
         Params().integer(cs.id).integers(seqs).integers(fids));
  const auto known = last_versions(c, collection, fids);
  std::vector<VersionRow> versions;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    const auto last = known.find(fids[i]);
    const std::int64_t version = last == known.end() ? 1 : std::max<std::int64_t>(last->second + 1, 1);
    versions.push_back({fids[i], version, "insert", &cs, time, states[i]});
  }
  write_versions(c, collection, versions);
}

}  // namespace

void apply_changes(Connection& c, FeatureRows& rows, const core::Collection& collection, const edit::ChangeSet& cs,
                   std::vector<edit::Change>& list, const std::string& time) {
  std::vector<edit::Change*> fresh;
  std::vector<edit::Change*> others;
  for (auto& change : list) (change.operation == Operation::Insert && !change.fid ? fresh : others).push_back(&change);
  apply_new_features(c, rows, collection, cs, fresh, time);
  for (auto* change : others) apply(c, rows, collection, cs, *change, time);
}

}  // namespace amis::store::postgis
