#include "store/gpkg/gpkg_change_sets.hpp"

#include <sqlite3.h>

#include "core/error.hpp"
#include "core/wkb.hpp"
#include "store/gpkg/catalog_rows.hpp"
#include "store/gpkg/gpkg_binary.hpp"
#include "store/gpkg/gpkg_schema.hpp"
#include "store/gpkg/sql_functions.hpp"
#include "store/properties_json.hpp"

namespace amis::store::gpkg {
namespace {

using edit::ChangeSetState;
using edit::Operation;
using sqlite::quote_identifier;


constexpr const char* kChangeSetSelect =
    "SELECT id, collection, title, author, country, state, created, coalesce(submitted, ''), "
    "coalesce(reviewed, ''), coalesce(reviewer, ''), comment, "
    "(SELECT count(*) FROM amis_changes c WHERE c.change_set = s.id) FROM amis_change_sets s";

edit::ChangeSet read_change_set_row(sqlite::Statement& s) {
  edit::ChangeSet cs;
  cs.id = s.column_int(0);
  cs.collection = s.column_text(1);
  cs.title = s.column_text(2);
  cs.author = s.column_text(3);
  cs.country = s.column_text(4);
  cs.state = edit::parse_change_set_state(s.column_text(5)).value_or(ChangeSetState::Draft);
  cs.created = s.column_text(6);
  cs.submitted = s.column_text(7);
  cs.reviewed = s.column_text(8);
  cs.reviewer = s.column_text(9);
  cs.comment = s.column_text(10);
  cs.change_count = s.column_int(11);
  return cs;
}

std::vector<std::uint8_t> blob(sqlite::Statement& s, int i) {
  if (s.column_type(i) != SQLITE_BLOB) return {};
  auto b = s.column_blob(i);
  return {b.begin(), b.end()};
}

nlohmann::json json_column(sqlite::Statement& s, int i) {
  if (s.is_null(i)) return nlohmann::json::object();
  return parse_properties(s.column_text(i));
}

// A column of a feature table as the JSON value of its property's type.
nlohmann::json column_json(sqlite::Statement& s, int i, core::PropertyType type) {
  switch (s.column_type(i)) {
    case SQLITE_NULL: return nullptr;
    case SQLITE_INTEGER:
      if (type == core::PropertyType::Boolean) return s.column_int(i) != 0;
      if (type == core::PropertyType::Real) return static_cast<double>(s.column_int(i));
      return s.column_int(i);
    case SQLITE_FLOAT: return s.column_double(i);
    default: return std::string(s.column_text(i));
  }
}

// Binds a property value, which the edit layer has checked against the type.
void bind_json(sqlite::Statement& s, int i, const nlohmann::json& v, core::PropertyType type) {
  if (v.is_null()) return s.bind_null(i);
  if (v.is_boolean()) return s.bind(i, std::int64_t{v.get<bool>() ? 1 : 0});
  if (v.is_number_integer() && type != core::PropertyType::Real) return s.bind(i, v.get<std::int64_t>());
  if (v.is_number()) return s.bind(i, v.get<double>());
  if (v.is_string()) return s.bind(i, std::string_view(v.get_ref<const std::string&>()));
  s.bind(i, std::string_view(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

void bind_geometry(sqlite::Statement& s, int i, const std::vector<std::uint8_t>& wkb) {
  if (wkb.empty()) return s.bind_null(i);
  std::vector<std::uint8_t> gpkg;
  append_gpkg_geometry(wkb, kCrs84SrsId, gpkg);
  s.bind_blob(i, gpkg);
}

}  // namespace

GpkgChangeSets::GpkgChangeSets(const std::string& path)
    : path_(path), db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  register_sql_functions(db_->handle());  // the R-tree triggers of feature tables call ST_*
  initialise_geopackage(*db_);
  create_catalog_tables(*db_);  // approvals of catalogue change sets write records
}

edit::ChangeSet GpkgChangeSets::create(const edit::ChangeSet& cs, const std::vector<edit::Change>& changes) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  auto s = db_->cached(
      "INSERT INTO amis_change_sets (collection, title, author, country, state, created, submitted) "
      "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), "
      "CASE WHEN ?5 = 'draft' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ','now') END)");
  s->bind(1, std::string_view(cs.collection));
  s->bind(2, std::string_view(cs.title));
  s->bind(3, std::string_view(cs.author));
  s->bind(4, std::string_view(cs.country));
  s->bind(5, std::string_view(edit::to_string(cs.state)));
  s->run();
  const std::int64_t id = sqlite3_last_insert_rowid(db_->handle());
  for (const auto& change : changes) add_change(id, change);
  tx.commit();
  return *read_change_set(id);
}

std::optional<edit::ChangeSet> GpkgChangeSets::read_change_set(std::int64_t id) {
  auto s = db_->cached(std::string(kChangeSetSelect) + " WHERE id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  return read_change_set_row(*s);
}

std::optional<edit::ChangeSet> GpkgChangeSets::change_set(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return read_change_set(id);
}

std::vector<edit::ChangeSet> GpkgChangeSets::change_sets(const ChangeSetFilter& f) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kChangeSetSelect) +
                       " WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR author = ?2) "
                       "AND (?3 IS NULL OR collection = ?3) ORDER BY id DESC LIMIT ?4 OFFSET ?5");
  if (f.state) s->bind(1, std::string_view(edit::to_string(*f.state)));
  if (f.author) s->bind(2, std::string_view(*f.author));
  if (f.collection) s->bind(3, std::string_view(*f.collection));
  s->bind(4, f.limit);
  s->bind(5, f.offset);
  std::vector<edit::ChangeSet> out;
  while (s->step()) out.push_back(read_change_set_row(*s));
  return out;
}

void GpkgChangeSets::add_changes(std::int64_t change_set, const std::vector<edit::Change>& changes) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  for (const auto& change : changes) add_change(change_set, change);
  tx.commit();
}

void GpkgChangeSets::add_change(std::int64_t change_set, const edit::Change& change) {
  // A feature's deletion carries nothing; a record's names the record.
  const bool nothing = change.operation == Operation::Delete && change.after.properties.empty();
  const std::string properties =
      nothing ? "" : change.after.properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (change.fid) {
    auto replace = db_->cached(
        "UPDATE amis_changes SET operation = ?, geom = ?, properties = ?, base = ? WHERE change_set = ? AND fid = ?");
    replace->bind(1, std::string_view(edit::to_string(change.operation)));
    if (change.after.wkb.empty()) replace->bind_null(2);
    else replace->bind_blob(2, change.after.wkb);
    if (properties.empty()) replace->bind_null(3);
    else replace->bind(3, std::string_view(properties));
    replace->bind(4, std::string_view(change.base));  // written against the feature as published now
    replace->bind(5, change_set);
    replace->bind(6, *change.fid);
    replace->run();
    if (sqlite3_changes(db_->handle()) > 0) return;
  }
  auto add = db_->cached(
      "INSERT INTO amis_changes (change_set, seq, operation, fid, base, geom, properties) VALUES "
      "(?1, (SELECT coalesce(max(seq), 0) + 1 FROM amis_changes WHERE change_set = ?1), ?2, ?3, ?4, ?5, ?6)");
  add->bind(1, change_set);
  add->bind(2, std::string_view(edit::to_string(change.operation)));
  if (change.fid) add->bind(3, *change.fid);
  add->bind(4, std::string_view(change.base));
  if (!change.after.wkb.empty()) add->bind_blob(5, change.after.wkb);
  if (!properties.empty()) add->bind(6, std::string_view(properties));
  add->run();
}

std::vector<edit::Change> GpkgChangeSets::changes(std::int64_t change_set) {
  std::lock_guard lock(mutex_);
  return read_changes(change_set);
}

std::vector<edit::Change> GpkgChangeSets::read_changes(std::int64_t change_set) {
  auto s = db_->cached(
      "SELECT seq, operation, fid, base, geom, properties FROM amis_changes WHERE change_set = ? ORDER BY seq");
  s->bind(1, change_set);
  std::vector<edit::Change> out;
  while (s->step()) {
    edit::Change c;
    c.seq = s->column_int(0);
    c.operation = edit::parse_operation(s->column_text(1)).value_or(Operation::Insert);
    if (!s->is_null(2)) c.fid = s->column_int(2);
    c.base = s->column_text(3);
    c.after.wkb = blob(*s, 4);
    c.after.properties = json_column(*s, 5);
    out.push_back(std::move(c));
  }
  return out;
}

bool GpkgChangeSets::transition(std::int64_t id, ChangeSetState from, ChangeSetState to,
                                const std::string& reviewer, const std::string& comment) {
  std::lock_guard lock(mutex_);
  const bool reviewed = to == ChangeSetState::Approved || to == ChangeSetState::Rejected;
  auto s = db_->cached(
      "UPDATE amis_change_sets SET state = ?1, "
      "submitted = CASE WHEN ?1 = 'submitted' THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE submitted END, "
      "reviewed = CASE WHEN ?4 THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE reviewed END, "
      "reviewer = CASE WHEN ?4 THEN ?5 ELSE reviewer END, comment = CASE WHEN ?4 THEN ?6 ELSE comment END "
      "WHERE id = ?2 AND state = ?3");
  s->bind(1, std::string_view(edit::to_string(to)));
  s->bind(2, id);
  s->bind(3, std::string_view(edit::to_string(from)));
  s->bind(4, std::int64_t{reviewed ? 1 : 0});
  s->bind(5, std::string_view(reviewer));
  s->bind(6, std::string_view(comment));
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

std::optional<edit::FeatureState> GpkgChangeSets::read_feature(const core::Collection& c, std::int64_t fid) {
  std::string sql = "SELECT geom";
  for (const auto& p : c.properties) sql += ", " + quote_identifier(p.name);
  auto s = db_->cached(sql + " FROM " + quote_identifier(c.id) + " WHERE fid = ?");
  s->bind(1, fid);
  if (!s->step()) return std::nullopt;
  edit::FeatureState state;
  if (s->column_type(0) == SQLITE_BLOB) {
    try {
      auto wkb = parse_gpkg_geometry(s->column_blob(0)).wkb;
      state.wkb.assign(wkb.begin(), wkb.end());
    } catch (const core::WkbError&) {
      state.wkb.clear();  // read as no geometry, as the feature readers do
    }
  }
  for (std::size_t i = 0; i < c.properties.size(); ++i)
    state.properties[c.properties[i].name] = column_json(*s, static_cast<int>(i) + 1, c.properties[i].type);
  return state;
}

std::optional<edit::FeatureState> GpkgChangeSets::current(const core::Collection& c, std::int64_t fid) {
  std::lock_guard lock(mutex_);
  return read_feature(c, fid);
}

std::vector<edit::Conflict> GpkgChangeSets::approve(const core::Collection& collection, std::int64_t id,
                                                    const std::string& reviewer, const std::string& comment) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  auto cs = read_change_set(id);
  if (!cs || cs->state != ChangeSetState::Submitted)
    throw core::Conflict("change set " + std::to_string(id) + " is not submitted");
  if (cs->collection != collection.id) throw core::ServerError("change set of another collection");

  auto list = read_changes(id);
  std::vector<edit::Conflict> conflicts;
  std::vector<std::optional<edit::FeatureState>> before(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& c = list[i];
    if (c.operation == Operation::Insert) {
      if (c.fid && read_feature(collection, *c.fid))  // a restored feature's id is taken again
        conflicts.push_back({*c.fid, "a feature with this id exists again", {}});
      continue;
    }
    before[i] = read_feature(collection, *c.fid);
    if (!before[i]) conflicts.push_back({*c.fid, "the feature was deleted after this change was written", {}});
    else if (edit::digest(*before[i]) != c.base)
      conflicts.push_back({*c.fid, "the feature was changed after this change was written", {}});
  }
  if (!conflicts.empty()) return conflicts;  // the transaction rolls back: nothing changed

  const std::string time = now();
  edit::SummaryChanges summary;
  for (std::size_t i = 0; i < list.size(); ++i)
    apply(collection, *cs, list[i], time, before[i] ? &*before[i] : nullptr, summary);
  refresh_collection(collection, time, summary);
  mark_approved(id, time, reviewer, comment, collection.id + ", " + std::to_string(list.size()) + " changes");
  add_to_feed(*cs);
  tx.commit();
  return {};
}

// The change set approved at `time`, with its audit entry (inside the approval's transaction).
void GpkgChangeSets::mark_approved(std::int64_t id, const std::string& time, const std::string& reviewer,
                                   const std::string& comment, const std::string& detail) {
  auto mark = db_->cached(
      "UPDATE amis_change_sets SET state = 'approved', reviewed = ?, reviewer = ?, comment = ? WHERE id = ?");
  mark->bind(1, std::string_view(time));
  mark->bind(2, std::string_view(reviewer));
  mark->bind(3, std::string_view(comment));
  mark->bind(4, id);
  mark->run();
  append_audit(reviewer, "approve", "change set " + std::to_string(id), detail);
}

std::string GpkgChangeSets::now() {
  auto s = db_->cached("SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now')");
  s->step();
  return std::string(s->column_text(0));
}

void GpkgChangeSets::apply(const core::Collection& collection, const edit::ChangeSet& cs, edit::Change& change,
                           const std::string& time, const edit::FeatureState* before, edit::SummaryChanges& summary) {
  const auto& temporal = collection.temporal_property;
  const std::string table = quote_identifier(collection.id);
  if (change.operation == Operation::Insert) {
    // A new feature gets the next fid; a restored one (a revert) its own again.
    std::string sql = "INSERT INTO " + table + " (" + (change.fid ? "fid, " : "") + "geom";
    std::string values = change.fid ? "?, ?" : "?";
    for (const auto& p : collection.properties) {
      sql += ", " + quote_identifier(p.name);
      values += ", ?";
    }
    auto s = db_->cached(sql + ") VALUES (" + values + ")");
    const int first = change.fid ? 2 : 1;
    if (change.fid) s->bind(1, *change.fid);
    bind_geometry(*s, first, change.after.wkb);
    for (std::size_t i = 0; i < collection.properties.size(); ++i) {
      const auto& p = collection.properties[i];
      bind_json(*s, static_cast<int>(i) + first + 1, change.after.properties.value(p.name, nlohmann::json()), p.type);
    }
    s->run();
    change.fid = sqlite3_last_insert_rowid(db_->handle());
    auto fid = db_->cached("UPDATE amis_changes SET fid = ? WHERE change_set = ? AND seq = ?");
    fid->bind(1, *change.fid);
    fid->bind(2, cs.id);
    fid->bind(3, change.seq);
    fid->run();
    record_version(collection, *change.fid, "insert", &cs, time, &change.after);
    summary.inserted(*change.fid, edit::summary_part(change.after, temporal));
    return;
  }
  if (change.operation == Operation::Replace) {
    std::string sql = "UPDATE " + table + " SET geom = ?";
    for (const auto& p : collection.properties) sql += ", " + quote_identifier(p.name) + " = ?";
    auto s = db_->cached(sql + " WHERE fid = ?");
    bind_geometry(*s, 1, change.after.wkb);
    const int n = static_cast<int>(collection.properties.size());
    for (int i = 0; i < n; ++i) {
      const auto& p = collection.properties[static_cast<std::size_t>(i)];
      bind_json(*s, i + 2, change.after.properties.value(p.name, nlohmann::json()), p.type);
    }
    s->bind(n + 2, *change.fid);
    record_version(collection, *change.fid, "replace", &cs, time, &change.after);
    s->run();
    summary.replaced(*change.fid, before ? edit::summary_part(*before, temporal) : edit::SummaryPart{},
                     edit::summary_part(change.after, temporal));
    return;
  }
  record_version(collection, *change.fid, "delete", &cs, time, nullptr);
  auto s = db_->cached("DELETE FROM " + table + " WHERE fid = ?");
  s->bind(1, *change.fid);
  s->run();
  summary.deleted(*change.fid, before ? edit::summary_part(*before, temporal) : edit::SummaryPart{});
}

// Records the version a change makes; before the first change of an imported
// feature, its imported state becomes version 0.
void GpkgChangeSets::record_version(const core::Collection& collection, std::int64_t fid,
                                    const std::string& operation, const edit::ChangeSet* cs,
                                    const std::string& time, const edit::FeatureState* state) {
  std::int64_t last = -1;
  {
    auto s = db_->cached("SELECT max(version) FROM amis_feature_versions WHERE collection = ? AND fid = ?");
    s->bind(1, std::string_view(collection.id));
    s->bind(2, fid);
    if (s->step() && !s->is_null(0)) last = s->column_int(0);
  }
  auto insert = [&](std::int64_t version, const std::string& op, const edit::ChangeSet* by,
                    const std::string& when, const edit::FeatureState* content) {
    auto s = db_->cached(
        "INSERT INTO amis_feature_versions (collection, fid, version, operation, change_set, author, valid_from, "
        "geom, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s->bind(1, std::string_view(collection.id));
    s->bind(2, fid);
    s->bind(3, version);
    s->bind(4, std::string_view(op));
    if (by) {
      s->bind(5, by->id);
      s->bind(6, std::string_view(by->author));
    }
    if (!when.empty()) s->bind(7, std::string_view(when));
    if (content && !content->wkb.empty()) s->bind_blob(8, content->wkb);
    if (content) s->bind(9, std::string_view(content->properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    s->run();
  };
  if (last < 0 && operation != "insert") {
    auto imported = read_feature(collection, fid);
    insert(0, "import", nullptr, "", imported ? &*imported : nullptr);
    last = 0;
  }
  insert(std::max<std::int64_t>(last + 1, 1), operation, cs, time, state);
}

std::vector<edit::Version> GpkgChangeSets::history(const core::Collection& c, std::int64_t fid) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT version, operation, change_set, coalesce(author, ''), coalesce(valid_from, ''), geom, properties "
      "FROM amis_feature_versions WHERE collection = ? AND fid = ? ORDER BY version");
  s->bind(1, std::string_view(c.id));
  s->bind(2, fid);
  std::vector<edit::Version> out;
  while (s->step()) {
    edit::Version v;
    v.fid = fid;
    v.number = s->column_int(0);
    v.operation = s->column_text(1);
    if (!s->is_null(2)) v.change_set = s->column_int(2);
    v.author = s->column_text(3);
    v.time = s->column_text(4);
    if (v.operation != "delete") v.state = edit::FeatureState{blob(*s, 5), json_column(*s, 6)};
    out.push_back(std::move(v));
  }
  if (out.empty()) {
    if (auto imported = read_feature(c, fid)) out.push_back({fid, 0, "import", std::nullopt, "", "", imported});
  }
  return out;
}

std::int64_t GpkgChangeSets::features_as_of(const core::Collection& c, const std::string& instant,
                                            std::int64_t limit, std::int64_t offset, core::FeatureSink& sink) {
  // Unchanged since `instant`: the published row. Changed since: the last
  // version at `instant` (version 0, the imported state, has no time), unless
  // it was a deletion or the feature was inserted later.
  std::string columns;
  for (const auto& p : c.properties)
    columns += (columns.empty() ? "" : ", ") + sqlite::quote_identifier(p.name);
  std::string object = "json_object(";
  for (std::size_t i = 0; i < c.properties.size(); ++i) {
    const auto& name = c.properties[i].name;
    object += (i ? ", " : "") + std::string("'") + [&] {
      std::string escaped;
      for (char ch : name) escaped += ch == '\'' ? std::string("''") : std::string(1, ch);
      return escaped;
    }() + "', " + sqlite::quote_identifier(name);
  }
  object += ")";
  const std::string table = sqlite::quote_identifier(c.id);
  const std::string changed =
      "(SELECT fid FROM amis_feature_versions WHERE collection = ?1 AND valid_from > ?2)";
  const std::string sql =
      "SELECT fid, 0, geom, " + object + " FROM " + table + " WHERE fid NOT IN " + changed +
      " UNION ALL SELECT v.fid, 1, v.geom, v.properties FROM amis_feature_versions v WHERE v.collection = ?1 "
      "AND v.fid IN " + changed + " AND v.operation != 'delete' AND v.version = (SELECT max(w.version) FROM "
      "amis_feature_versions w WHERE w.collection = ?1 AND w.fid = v.fid AND (w.valid_from IS NULL OR "
      "w.valid_from <= ?2)) ORDER BY 1 LIMIT ?3 OFFSET ?4";
  // A connection of its own: the features stream to a client at its pace,
  // and change sets are not held up meanwhile (WAL: a consistent snapshot).
  sqlite::Database reader(path_, sqlite::Database::Mode::ReadOnly);
  auto s = reader.cached(sql);
  s->bind(1, std::string_view(c.id));
  s->bind(2, std::string_view(instant));
  s->bind(3, limit);
  s->bind(4, offset);
  std::vector<core::Value> values;
  std::vector<std::string> texts;
  std::int64_t pushed = 0;
  while (s->step()) {
    core::FeatureView view;
    view.id = s->column_int(0);
    std::vector<std::uint8_t> wkb;
    if (s->column_type(2) == SQLITE_BLOB) {
      try {
        const auto stored = s->column_blob(2);
        if (s->column_int(1) == 0) {
          const auto parsed = parse_gpkg_geometry(stored).wkb;
          wkb.assign(parsed.begin(), parsed.end());
        } else {
          wkb.assign(stored.begin(), stored.end());
        }
      } catch (const core::WkbError&) {
        wkb.clear();
      }
    }
    view.wkb = wkb;
    properties_to_values(json_column(*s, 3), c, values, texts);
    view.values = values;
    sink.feature(view);
    ++pushed;
  }
  return pushed;
}

void GpkgChangeSets::append_audit(const std::string& actor, const std::string& action, const std::string& subject,
                                  const std::string& detail) {
  auto s = db_->cached(
      "INSERT INTO amis_audit (time, actor, action, subject, detail) "
      "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?, ?, ?)");
  s->bind(1, std::string_view(actor));
  s->bind(2, std::string_view(action));
  s->bind(3, std::string_view(subject));
  s->bind(4, std::string_view(detail));
  s->run();
}

void GpkgChangeSets::audit(const std::string& actor, const std::string& action, const std::string& subject,
                           const std::string& detail) {
  std::lock_guard lock(mutex_);
  append_audit(actor, action, subject, detail);
}

std::vector<edit::AuditEntry> GpkgChangeSets::audit_log(std::int64_t limit, std::optional<std::int64_t> before) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT id, time, actor, action, subject, detail FROM amis_audit WHERE (?1 IS NULL OR id < ?1) "
      "ORDER BY id DESC LIMIT ?2");
  if (before) s->bind(1, *before);
  s->bind(2, limit);
  std::vector<edit::AuditEntry> out;
  while (s->step())
    out.push_back({s->column_int(0), std::string(s->column_text(1)), std::string(s->column_text(2)),
                   std::string(s->column_text(3)), std::string(s->column_text(4)), std::string(s->column_text(5))});
  return out;
}

std::vector<CountryUpdates> GpkgChangeSets::approved_by_country(const std::string& since, const std::string& except) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT country, count(*), max(reviewed) FROM amis_change_sets WHERE state = 'approved' AND country <> '' "
      "AND reviewed >= ? AND collection <> ? GROUP BY country ORDER BY country");
  s->bind(1, std::string_view(since));
  s->bind(2, std::string_view(except));
  std::vector<CountryUpdates> out;
  while (s->step()) out.push_back({std::string(s->column_text(0)), s->column_int(1), std::string(s->column_text(2))});
  return out;
}

}  // namespace amis::store::gpkg
