#include "store/postgis/pg_change_sets.hpp"

#include "catalog/record_json.hpp"
#include "core/error.hpp"
#include "store/catalog_row.hpp"
#include "store/postgis/pg_change_apply.hpp"
#include "store/postgis/pg_feature_rows.hpp"
#include "store/postgis/pg_record_writer.hpp"
#include "store/properties_json.hpp"
#include "store/synced_turn.hpp"

namespace amis::store::postgis {
namespace {

using edit::ChangeSetState;
using edit::Operation;

constexpr const char* kChangeSetSelect =
    "SELECT id, collection, title, author, country, state, created, coalesce(submitted, ''), "
    "coalesce(reviewed, ''), coalesce(reviewer, ''), comment, "
    "(SELECT count(*) FROM amis_changes c WHERE c.change_set = s.id) FROM amis_change_sets s";

constexpr const char* kChangeSelect =
    "SELECT seq, operation, fid, base, geom, properties FROM amis_changes WHERE change_set = $1 ORDER BY seq";

std::string text(const Result& r, int row, int column) { return std::string(r.text(row, column)); }

std::vector<std::uint8_t> bytes(const Result& r, int row, int column) {
  if (r.is_null(row, column)) return {};
  const auto b = r.bytes(row, column);
  return {b.begin(), b.end()};
}

nlohmann::json properties(const Result& r, int row, int column) {
  return r.is_null(row, column) ? nlohmann::json::object() : parse_properties(r.text(row, column));
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

edit::ChangeSet read_change_set_row(const Result& r, int i) {
  edit::ChangeSet cs;
  cs.id = r.integer(i, 0);
  cs.collection = text(r, i, 1);
  cs.title = text(r, i, 2);
  cs.author = text(r, i, 3);
  cs.country = text(r, i, 4);
  cs.state = edit::parse_change_set_state(r.text(i, 5)).value_or(ChangeSetState::Draft);
  cs.created = text(r, i, 6);
  cs.submitted = text(r, i, 7);
  cs.reviewed = text(r, i, 8);
  cs.reviewer = text(r, i, 9);
  cs.comment = text(r, i, 10);
  cs.change_count = r.integer(i, 11);
  return cs;
}

// With `lock`, the change set's row stays locked until the transaction ends.
std::optional<edit::ChangeSet> read_change_set(Connection& c, std::int64_t id, bool lock = false) {
  const auto r = c.exec(std::string(kChangeSetSelect) + " WHERE id = $1" + (lock ? " FOR UPDATE" : ""),
                        Params().integer(id), Format::Binary);
  if (r.rows() == 0) return std::nullopt;
  return read_change_set_row(r, 0);
}

std::vector<edit::Change> read_changes(Connection& c, std::int64_t change_set) {
  const auto r = c.exec(kChangeSelect, Params().integer(change_set), Format::Binary);
  std::vector<edit::Change> out;
  for (int i = 0; i < r.rows(); ++i) {
    edit::Change change;
    change.seq = r.integer(i, 0);
    change.operation = edit::parse_operation(r.text(i, 1)).value_or(Operation::Insert);
    if (!r.is_null(i, 2)) change.fid = r.integer(i, 2);
    change.base = text(r, i, 3);
    change.after.wkb = bytes(r, i, 4);
    change.after.properties = properties(r, i, 5);
    out.push_back(std::move(change));
  }
  return out;
}

void add_change(Connection& c, std::int64_t change_set, const edit::Change& change) {
  const bool deletes = change.operation == Operation::Delete;
  auto geometry = [&](Params& p) -> Params& {
    return change.after.wkb.empty() ? p.null(oid::kBytea) : p.bytes(change.after.wkb);
  };
  // A feature's deletion carries nothing; a record's names the record.
  const bool nothing = deletes && change.after.properties.empty();
  auto props = [&](Params& p) -> Params& {
    return nothing ? p.null(oid::kText) : p.text(properties_text(change.after.properties));
  };
  if (change.fid) {
    Params p;
    p.text(edit::to_string(change.operation));
    geometry(p);
    props(p);
    p.text(change.base).integer(change_set).integer(*change.fid);  // written against the feature as published now
    if (c.exec("UPDATE amis_changes SET operation = $1, geom = $2, properties = $3, base = $4 "
               "WHERE change_set = $5 AND fid = $6",
               p)
            .affected() > 0)
      return;
  }
  Params p;
  p.integer(change_set).text(edit::to_string(change.operation));
  if (change.fid) p.integer(*change.fid);
  else p.null(oid::kInt8);
  p.text(change.base);
  geometry(p);
  props(p);
  c.exec("INSERT INTO amis_changes (change_set, seq, operation, fid, base, geom, properties) VALUES "
         "($1, (SELECT coalesce(max(seq), 0) + 1 FROM amis_changes WHERE change_set = $1), $2, $3, $4, $5, $6)",
         p);
}

void append_audit(Connection& c, const std::string& actor, const std::string& action, const std::string& subject,
                  const std::string& detail) {
  c.exec("INSERT INTO amis_audit (time, actor, action, subject, detail) VALUES (amis_utc_millis(), $1, $2, $3, $4)",
         Params().text(actor).text(action).text(subject).text(detail));
}

// The published record, its row locked until the transaction ends.
std::optional<catalog::Record> locked_record(Connection& c, const std::string& id) {
  const auto r = c.exec("SELECT document::text FROM amis_records WHERE id = $1 FOR UPDATE", Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  return record_from_document(r.text(0, 0));
}

std::vector<edit::Conflict> record_conflicts(Connection& c, const std::vector<edit::Change>& list) {
  std::vector<edit::Conflict> conflicts;
  for (const auto& change : list) {
    const std::string id = edit::record_id_of(change);
    const auto now = locked_record(c, id);
    auto conflict = [&](const std::string& reason) { conflicts.push_back({0, reason, id}); };
    const bool inserts = change.operation == Operation::Insert;
    if (now && now->origin != catalog::RecordOrigin::Authored)
      conflict("the record is kept by AMIS (" + std::string(catalog::to_string(now->origin)) + "), not by editing");
    else if (inserts && now) conflict("a record with this id was published meanwhile");
    else if (!inserts && !now) conflict("the record was deleted after this change was written");
    else if (!inserts && edit::record_digest(catalog::to_json(*now)) != change.base)
      conflict("the record was changed after this change was written");
  }
  return conflicts;
}

// Before the first change of a record made otherwise (imported), its state then
// becomes version 0.
void record_record_version(Connection& c, const std::string& id, const std::string& operation,
                           const edit::ChangeSet& cs, const std::string& time, const nlohmann::json* document) {
  std::int64_t last = -1;
  {
    const auto r = c.exec("SELECT max(version) FROM amis_record_versions WHERE record = $1", Params().text(id));
    if (r.rows() && !r.is_null(0, 0)) last = r.integer(0, 0);
  }
  auto insert = [&](std::int64_t version, const std::string& op, const edit::ChangeSet* by, const std::string& when,
                    const nlohmann::json* content) {
    Params p;
    p.text(id).integer(version).text(op);
    if (by) p.integer(by->id).text(by->author);
    else p.null(oid::kInt8).null(oid::kText);
    if (when.empty()) p.null(oid::kText);
    else p.text(when);
    if (content) p.text(dump(*content));
    else p.null(oid::kText);
    c.exec("INSERT INTO amis_record_versions (record, version, operation, change_set, author, valid_from, document) "
           "VALUES ($1, $2, $3, $4, $5, $6, $7)",
           p);
  };
  if (last < 0 && operation != "insert") {
    const auto r = c.exec("SELECT document::text FROM amis_records WHERE id = $1", Params().text(id));
    if (r.rows()) {
      const auto previous = catalog::to_json(record_from_document(r.text(0, 0)));
      insert(0, "import", nullptr, "", &previous);
    }
    last = 0;
  }
  insert(std::max<std::int64_t>(last + 1, 1), operation, &cs, time, document);
}

std::vector<edit::Conflict> conflicts_of(FeatureRows& rows, const std::vector<edit::Change>& list) {
  std::vector<edit::Conflict> conflicts;
  for (const auto& c : list) {
    if (c.operation == Operation::Insert) {
      if (c.fid && rows.read(*c.fid))  // a restored feature's id is taken again
        conflicts.push_back({*c.fid, "a feature with this id exists again", {}});
      continue;
    }
    auto now = rows.read(*c.fid);
    if (!now) conflicts.push_back({*c.fid, "the feature was deleted after this change was written", {}});
    else if (edit::digest(*now) != c.base)
      conflicts.push_back({*c.fid, "the feature was changed after this change was written", {}});
  }
  return conflicts;
}

// Numbers an approved change set of features in the change feed (issue 16), not
// a node's copy. The table is locked until the approval's transaction ends, so
// that numbers follow the approvals' commits without gaps (a sequence object
// would leave one at each rollback).
void add_to_feed(Connection& c, const edit::ChangeSet& cs) {
  if (edit::is_catalog(cs) || cs.author.rfind("node:", 0) == 0) return;
  c.exec("LOCK TABLE amis_change_feed IN SHARE ROW EXCLUSIVE MODE");
  c.exec("INSERT INTO amis_change_feed (sequence, change_set) "
         "SELECT coalesce(max(sequence), 0) + 1, $1 FROM amis_change_feed",
         Params().integer(cs.id));
}

std::int64_t last_synced(Connection& c, const std::string& node) {
  return c.exec("SELECT coalesce(max(sequence), 0) FROM amis_synced WHERE node = $1", Params().text(node))
      .integer(0, 0);
}

}  // namespace

std::vector<FeedEntry> PgChangeSets::approved_since(std::int64_t since, std::int64_t limit) {
  auto c = pool_.acquire();
  const auto r = c->exec("SELECT sequence, change_set FROM amis_change_feed WHERE sequence > $1 ORDER BY sequence "
                         "LIMIT $2",
                         Params().integer(since).integer(limit));
  std::vector<FeedEntry> out;
  for (int i = 0; i < r.rows(); ++i) {
    auto cs = read_change_set(*c, r.integer(i, 1));
    if (!cs) continue;
    out.push_back({r.integer(i, 0), std::move(*cs), read_changes(*c, r.integer(i, 1))});
  }
  return out;
}

std::int64_t PgChangeSets::synced_sequence(std::string_view node) {
  auto c = pool_.acquire();
  return last_synced(*c, std::string(node));
}

void PgChangeSets::skip_synced(std::string_view node, std::int64_t last, std::int64_t through,
                               const std::string& actor, const std::string& detail) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  const std::string name(node);
  c->exec("SELECT pg_advisory_xact_lock(hashtext('amis_synced ' || $1::text))", Params().text(name));
  if (last_synced(*c, name) != last || through <= last)
    throw core::Conflict("node '" + name + "' is no longer at sequence " + std::to_string(last));
  // change_set 0: nothing here came of it; the last sequence moves on past it.
  c->exec("INSERT INTO amis_synced (node, sequence, remote_change_set, change_set, collection, remote_approved, "
          "applied) VALUES ($1, $2, 0, 0, '', '', amis_utc_millis())",
          Params().text(name).integer(through));
  append_audit(*c, actor, "sync-skip", "node " + name, detail);
  tx.commit();
}

std::vector<std::optional<std::int64_t>> PgChangeSets::synced_fids(std::string_view node, std::string_view collection,
                                                                   const std::vector<std::int64_t>& remote_fids) {
  auto c = pool_.acquire();
  std::vector<std::optional<std::int64_t>> out;
  for (const auto remote : remote_fids) {
    const auto r = c->exec(
        "SELECT fid FROM amis_synced_features WHERE node = $1 AND collection = $2 AND remote_fid = $3",
        Params().text(std::string(node)).text(std::string(collection)).integer(remote));
    out.push_back(r.rows() ? std::optional<std::int64_t>(r.integer(0, 0)) : std::nullopt);
  }
  return out;
}

SyncApplied PgChangeSets::apply_synced(const core::Collection& collection, const SyncedChangeSet& synced) {
  if (synced.changes.size() != synced.remote_fids.size()) throw core::ServerError("a synced change without its id");
  auto c = pool_.acquire();
  Transaction tx(*c);
  // One sync of a node at a time, whichever AMIS of the cluster runs it.
  c->exec("SELECT pg_advisory_xact_lock(hashtext('amis_synced ' || $1::text))", Params().text(synced.node));
  if (auto early = out_of_turn(last_synced(*c, synced.node), synced.sequence)) return *early;
  FeatureRows rows(*c, collection, true);
  std::vector<std::int64_t> fids;
  for (const auto& change : synced.changes)
    if (change.fid) fids.push_back(*change.fid);
  rows.lock(fids);
  SyncApplied out;
  out.conflicts = synced_conflicts(synced, [&](std::int64_t fid) { return rows.read(fid); });
  if (!out.conflicts.empty()) {
    out.outcome = SyncOutcome::Conflicts;
    return out;  // the transaction rolls back: nothing changed
  }
  const std::string time = text(c->exec("SELECT amis_utc_millis()"), 0, 0);
  const auto& cs = synced.change_set;
  const std::string comment = synced_comment(synced);
  const std::int64_t id =
      c->exec("INSERT INTO amis_change_sets (collection, title, author, country, state, created, submitted, reviewed, "
              "reviewer, comment) VALUES ($1, $2, $3, $4, 'approved', $5, $5, $5, $3, $6) RETURNING id",
              Params().text(collection.id).text(cs.title).text(cs.author).text(cs.country).text(time).text(comment))
          .integer(0, 0);
  for (const auto& change : synced.changes) add_change(*c, id, change);
  const auto written = *read_change_set(*c, id);
  auto list = read_changes(*c, id);
  apply_changes(*c, rows, collection, written, list, time);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].operation != Operation::Insert) continue;
    c->exec("INSERT INTO amis_synced_features (node, collection, remote_fid, fid) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (node, collection, remote_fid) DO UPDATE SET fid = excluded.fid",
            Params().text(synced.node).text(collection.id).integer(synced.remote_fids[i]).integer(*list[i].fid));
  }
  rows.refresh(time);
  c->exec("INSERT INTO amis_synced (node, sequence, remote_change_set, change_set, collection, remote_approved, "
          "applied) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          Params().text(synced.node).integer(synced.sequence).integer(synced.remote_id).integer(id)
              .text(collection.id).text(synced.remote_approved).text(time));
  append_audit(*c, cs.author, "sync", "change set " + std::to_string(id),
               collection.id + ", " + std::to_string(list.size()) + " changes; " + comment);
  tx.commit();
  out.change_set = id;
  return out;
}

edit::ChangeSet PgChangeSets::create(const edit::ChangeSet& cs, const std::vector<edit::Change>& changes) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  const auto r = c->exec(
      "INSERT INTO amis_change_sets (collection, title, author, country, state, created, submitted) "
      "VALUES ($1, $2, $3, $4, $5, amis_utc_millis(), CASE WHEN $5 = 'draft' THEN NULL ELSE amis_utc_millis() END) "
      "RETURNING id",
      Params().text(cs.collection).text(cs.title).text(cs.author).text(cs.country).text(edit::to_string(cs.state)));
  const std::int64_t id = r.integer(0, 0);
  for (const auto& change : changes) add_change(*c, id, change);
  tx.commit();
  return *read_change_set(*c, id);
}

std::optional<edit::ChangeSet> PgChangeSets::change_set(std::int64_t id) {
  auto c = pool_.acquire();
  return read_change_set(*c, id);
}

std::vector<edit::ChangeSet> PgChangeSets::change_sets(const ChangeSetFilter& f) {
  Params p;
  auto optional = [&p](const std::optional<std::string>& v) {
    if (v) p.text(*v, oid::kText);
    else p.null(oid::kText);
  };
  optional(f.state ? std::optional<std::string>(edit::to_string(*f.state)) : std::nullopt);
  optional(f.author);
  optional(f.collection);
  p.integer(f.limit).integer(f.offset);
  auto c = pool_.acquire();
  const auto r = c->exec(std::string(kChangeSetSelect) +
                             " WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR author = $2) "
                             "AND ($3::text IS NULL OR collection = $3) ORDER BY id DESC LIMIT $4 OFFSET $5",
                         p, Format::Binary);
  std::vector<edit::ChangeSet> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_change_set_row(r, i));
  return out;
}

void PgChangeSets::add_changes(std::int64_t change_set, const std::vector<edit::Change>& changes) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  // Two nodes adding to one draft take turns (each numbers its changes after the other's).
  c->exec("SELECT 1 FROM amis_change_sets WHERE id = $1 FOR UPDATE", Params().integer(change_set));
  for (const auto& change : changes) add_change(*c, change_set, change);
  tx.commit();
}

std::vector<edit::Change> PgChangeSets::changes(std::int64_t change_set) {
  auto c = pool_.acquire();
  return read_changes(*c, change_set);
}

bool PgChangeSets::transition(std::int64_t id, ChangeSetState from, ChangeSetState to, const std::string& reviewer,
                              const std::string& comment) {
  const bool reviewed = to == ChangeSetState::Approved || to == ChangeSetState::Rejected;
  auto c = pool_.acquire();
  return c->exec(
              "UPDATE amis_change_sets SET state = $1, "
              "submitted = CASE WHEN $1 = 'submitted' THEN amis_utc_millis() ELSE submitted END, "
              "reviewed = CASE WHEN $4 THEN amis_utc_millis() ELSE reviewed END, "
              "reviewer = CASE WHEN $4 THEN $5 ELSE reviewer END, comment = CASE WHEN $4 THEN $6 ELSE comment END "
              "WHERE id = $2 AND state = $3",
              Params()
                  .text(edit::to_string(to), oid::kText)
                  .integer(id)
                  .text(edit::to_string(from), oid::kText)
                  .boolean(reviewed)
                  .text(reviewer, oid::kText)
                  .text(comment, oid::kText))
             .affected() > 0;
}

std::optional<edit::FeatureState> PgChangeSets::current(const core::Collection& collection, std::int64_t fid) {
  auto c = pool_.acquire();
  FeatureRows rows(*c, collection);
  return rows.read(fid);
}

std::vector<edit::Conflict> PgChangeSets::approve(const core::Collection& collection, std::int64_t id,
                                                  const std::string& reviewer, const std::string& comment) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  // Locks in one order everywhere (change set, collection, features): an
  // approval waits for another, then reads what that one left.
  auto cs = read_change_set(*c, id, true);
  if (!cs || cs->state != ChangeSetState::Submitted)
    throw core::Conflict("change set " + std::to_string(id) + " is not submitted");
  if (cs->collection != collection.id) throw core::ServerError("change set of another collection");
  FeatureRows rows(*c, collection, true);
  auto list = read_changes(*c, id);
  std::vector<std::int64_t> fids;
  for (const auto& change : list)
    if (change.fid) fids.push_back(*change.fid);
  rows.lock(fids);
  if (auto conflicts = conflicts_of(rows, list); !conflicts.empty())
    return conflicts;  // the transaction rolls back: nothing changed

  const std::string time = text(c->exec("SELECT amis_utc_millis()"), 0, 0);
  apply_changes(*c, rows, collection, *cs, list, time);
  rows.refresh(time);
  c->exec("UPDATE amis_change_sets SET state = 'approved', reviewed = $1, reviewer = $2, comment = $3 WHERE id = $4",
          Params().text(time).text(reviewer).text(comment).integer(id));
  append_audit(*c, reviewer, "approve", "change set " + std::to_string(id),
               collection.id + ", " + std::to_string(list.size()) + " changes");
  add_to_feed(*c, *cs);
  tx.commit();
  return {};
}

std::vector<edit::Conflict> PgChangeSets::approve_records(std::int64_t id, const std::string& reviewer,
                                                          const std::string& comment) {
  // The records are written through a catalogue writer, whose transaction holds
  // the whole approval: the change set, the records, their versions, the audit.
  PgRecordWriter writer(pool_.acquire());
  auto cs = read_change_set(writer.connection(), id, true);
  if (!cs || cs->state != ChangeSetState::Submitted)
    throw core::Conflict("change set " + std::to_string(id) + " is not submitted");
  if (!edit::is_catalog(*cs)) throw core::ServerError("change set of a collection, not of the catalogue");
  const auto list = read_changes(writer.connection(), id);
  if (auto conflicts = record_conflicts(writer.connection(), list); !conflicts.empty())
    return conflicts;  // the writer rolls back: nothing changed
  const std::string time = text(writer.connection().exec("SELECT amis_utc_millis()"), 0, 0);
  for (const auto& change : list) {
    const std::string record_id = edit::record_id_of(change);
    const std::string operation = edit::to_string(change.operation);
    if (change.operation == Operation::Delete) {
      record_record_version(writer.connection(), record_id, operation, *cs, time, nullptr);
      writer.remove(record_id);
      continue;
    }
    auto record = catalog::record_from_json(change.after.properties);
    record.updated = time;
    const auto document = catalog::to_json(record);
    record_record_version(writer.connection(), record_id, operation, *cs, time, &document);
    writer.put(record);
  }
  auto& c = writer.connection();
  c.exec("UPDATE amis_change_sets SET state = 'approved', reviewed = $1, reviewer = $2, comment = $3 WHERE id = $4",
         Params().text(time).text(reviewer).text(comment).integer(id));
  append_audit(c, reviewer, "approve", "change set " + std::to_string(id),
               std::string(edit::kCatalogChangeSets) + ", " + std::to_string(list.size()) + " changes");
  writer.commit();
  return {};
}

std::vector<edit::RecordVersion> PgChangeSets::record_history(std::string_view id) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT version, operation, change_set, coalesce(author, ''), coalesce(valid_from, ''), document "
      "FROM amis_record_versions WHERE record = $1 ORDER BY version",
      Params().text(id), Format::Binary);
  std::vector<edit::RecordVersion> out;
  for (int i = 0; i < r.rows(); ++i) {
    edit::RecordVersion v;
    v.id = std::string(id);
    v.number = r.integer(i, 0);
    v.operation = text(r, i, 1);
    if (!r.is_null(i, 2)) v.change_set = r.integer(i, 2);
    v.author = text(r, i, 3);
    v.time = text(r, i, 4);
    if (!r.is_null(i, 5)) v.document = nlohmann::json::parse(r.text(i, 5), nullptr, false);
    out.push_back(std::move(v));
  }
  if (out.empty()) {
    const auto now = c->exec("SELECT document::text FROM amis_records WHERE id = $1", Params().text(id));
    if (now.rows())
      out.push_back({std::string(id), 0, "import", std::nullopt, "", "",
                     catalog::to_json(record_from_document(now.text(0, 0)))});
  }
  return out;
}

std::vector<edit::Version> PgChangeSets::history(const core::Collection& collection, std::int64_t fid) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT version, operation, change_set, coalesce(author, ''), coalesce(valid_from, ''), geom, properties "
      "FROM amis_feature_versions WHERE collection = $1 AND fid = $2 ORDER BY version",
      Params().text(collection.id).integer(fid), Format::Binary);
  std::vector<edit::Version> out;
  for (int i = 0; i < r.rows(); ++i) {
    edit::Version v;
    v.fid = fid;
    v.number = r.integer(i, 0);
    v.operation = text(r, i, 1);
    if (!r.is_null(i, 2)) v.change_set = r.integer(i, 2);
    v.author = text(r, i, 3);
    v.time = text(r, i, 4);
    if (v.operation != "delete") v.state = edit::FeatureState{bytes(r, i, 5), properties(r, i, 6)};
    out.push_back(std::move(v));
  }
  if (out.empty()) {
    FeatureRows rows(*c, collection);
    if (auto imported = rows.read(fid)) out.push_back({fid, 0, "import", std::nullopt, "", "", imported});
  }
  return out;
}

std::int64_t PgChangeSets::features_as_of(const core::Collection& collection, const std::string& instant,
                                          std::int64_t limit, std::int64_t offset, core::FeatureSink& sink) {
  // Unchanged since `instant`: the published row. Changed since: the last
  // version at `instant` (version 0, the imported state, has no time), unless
  // it was a deletion or the feature was inserted later.
  auto c = pool_.acquire();
  FeatureRows rows(*c, collection);
  // The page is chosen on fids alone (the published rows by their key's index,
  // stopping after offset + limit), and only its rows are read and turned into
  // JSON: a page costs what its offset costs, not what the collection holds.
  const std::string sql =
      "WITH changed AS MATERIALIZED (SELECT DISTINCT fid FROM amis_feature_versions WHERE collection = $1 AND "
      "valid_from > $2), "
      "kept AS MATERIALIZED (SELECT v.fid, v.version FROM amis_feature_versions v JOIN changed USING (fid) "
      "WHERE v.collection = $1 AND v.operation != 'delete' AND v.version = (SELECT max(w.version) FROM "
      "amis_feature_versions w WHERE w.collection = $1 AND w.fid = v.fid AND (w.valid_from IS NULL OR "
      "w.valid_from <= $2))), "
      "page AS MATERIALIZED (SELECT fid, kind FROM ("
      "(SELECT fid, 0 AS kind FROM " + rows.table() + " WHERE fid NOT IN (SELECT fid FROM changed) ORDER BY fid "
      "LIMIT $3 + $4) UNION ALL (SELECT fid, 1 FROM kept ORDER BY fid LIMIT $3 + $4)) u ORDER BY fid LIMIT $3 OFFSET $4) "
      "SELECT p.fid, p.kind, CASE WHEN p.kind = 0 THEN ST_AsBinary(t.geom, 'NDR') ELSE v.geom END, "
      "CASE WHEN p.kind = 0 THEN " + rows.properties_json("t") + " ELSE v.properties END FROM page p "
      "LEFT JOIN " + rows.table() + " t ON p.kind = 0 AND t.fid = p.fid "
      "LEFT JOIN kept k ON p.kind = 1 AND k.fid = p.fid "
      "LEFT JOIN amis_feature_versions v ON v.collection = $1 AND v.fid = k.fid AND v.version = k.version "
      "ORDER BY p.fid";
  // One statement streamed row by row: a consistent snapshot at the client's pace.
  c->send_streaming(sql, Params().text(collection.id, oid::kText).text(instant, oid::kText).integer(limit).integer(offset),
                    Format::Binary);
  std::vector<core::Value> values;
  std::vector<std::string> texts;
  std::int64_t pushed = 0;
  while (auto row = c->next_row()) {
    core::FeatureView view;
    view.id = row->integer(0, 0);
    const auto wkb = row->is_null(0, 2) ? std::span<const std::uint8_t>() : row->bytes(0, 2);
    view.wkb = wkb;
    properties_to_values(properties(*row, 0, 3), collection, values, texts);
    view.values = values;
    sink.feature(view);
    ++pushed;
  }
  return pushed;
}

void PgChangeSets::audit(const std::string& actor, const std::string& action, const std::string& subject,
                         const std::string& detail) {
  auto c = pool_.acquire();
  append_audit(*c, actor, action, subject, detail);
}

std::vector<edit::AuditEntry> PgChangeSets::audit_log(std::int64_t limit, std::optional<std::int64_t> before) {
  Params p;
  if (before) p.integer(*before);
  else p.null(oid::kInt8);
  p.integer(limit);
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT id, time, actor, action, subject, detail FROM amis_audit WHERE ($1::bigint IS NULL OR id < $1) "
      "ORDER BY id DESC LIMIT $2",
      p, Format::Binary);
  std::vector<edit::AuditEntry> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.integer(i, 0), text(r, i, 1), text(r, i, 2), text(r, i, 3), text(r, i, 4), text(r, i, 5)});
  return out;
}

std::vector<CountryUpdates> PgChangeSets::approved_by_country(const std::string& since, const std::string& except) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT country, count(*), max(reviewed) FROM amis_change_sets WHERE state = 'approved' AND country <> '' "
      "AND reviewed COLLATE \"C\" >= $1 AND collection <> $2 GROUP BY country ORDER BY country COLLATE \"C\"",
      Params().text(since).text(except));
  std::vector<CountryUpdates> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({std::string(r.text(i, 0)), r.integer(i, 1), std::string(r.text(i, 2))});
  return out;
}

}  // namespace amis::store::postgis
