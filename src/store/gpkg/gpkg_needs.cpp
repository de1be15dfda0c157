#include "store/gpkg/gpkg_needs.hpp"

#include "store/need_sql.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

std::string numbered(int n) { return "?" + std::to_string(n); }

need_sql::RowReader reader(sqlite::Statement& s) {
  return {[&s](int i) -> std::optional<std::string> {
            if (s.is_null(i)) return std::nullopt;
            return std::string(s.column_text(i));
          },
          [&s](int i) { return s.column_int(i); }};
}

void bind_all(sqlite::Statement& s, const std::vector<std::string>& values) {
  int i = 1;
  for (const auto& v : values) s.bind(i++, std::string_view(v));
}

}  // namespace

GpkgNeeds::GpkgNeeds(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  db_->exec(need_sql::tables_ddl("TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"));
}

void GpkgNeeds::audit(const std::string& actor, const char* action, std::int64_t need, const std::string& detail) {
  auto s = db_->cached(std::string("INSERT INTO amis_audit (time, actor, action, subject, detail) VALUES (") + kNow +
                       ", ?, ?, ?, ?)");
  s->bind(1, std::string_view(actor));
  s->bind(2, std::string_view(action));
  s->bind(3, std::string_view(need_sql::subject(need)));
  s->bind(4, std::string_view(detail));
  s->run();
}

core::NeedNote GpkgNeeds::append_note(std::int64_t need, const std::string& author, core::NeedNote::Kind kind,
                                      const std::string& text) {
  auto s = db_->cached(std::string("INSERT INTO amis_need_notes (need, time, author, kind, text) VALUES (?, ") + kNow +
                       ", ?, ?, ?) RETURNING " + need_sql::kNoteColumns);
  s->bind(1, need);
  s->bind(2, std::string_view(author));
  s->bind(3, std::string_view(need_sql::to_string(kind)));
  s->bind(4, std::string_view(text));
  s->step();
  auto note = need_sql::read_note(reader(*s));
  while (s->step()) {
  }
  return note;
}

std::optional<core::Need> GpkgNeeds::read(std::int64_t id) {
  auto s = db_->cached(std::string("SELECT ") + need_sql::kNeedColumns + " FROM amis_needs n WHERE n.id = ?");
  s->bind(1, id);
  if (!s->step()) return std::nullopt;
  return need_sql::read_need(reader(*s));
}

core::Need GpkgNeeds::add_need(const core::Need& need) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  std::int64_t id = 0;
  {
    auto s = db_->cached(std::string("INSERT INTO amis_needs (kind, title, description, collection, feature, submitter, "
                                     "country, created, updated, status, priority, assignee, resolution) VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?, ") + kNow + ", " + kNow + ", 'new', ?, '', '') RETURNING id");
    s->bind(1, std::string_view(core::to_string(need.kind)));
    s->bind(2, std::string_view(need.title));
    s->bind(3, std::string_view(need.description));
    s->bind(4, std::string_view(need.collection));
    if (need.feature) s->bind(5, *need.feature);
    else s->bind_null(5);
    s->bind(6, std::string_view(need.submitter));
    s->bind(7, std::string_view(need.country));
    s->bind(8, std::string_view(core::to_string(need.priority)));
    s->step();
    id = s->column_int(0);
    while (s->step()) {
    }
  }
  audit(need.submitter, "submit need", id, std::string(core::to_string(need.kind)) + ": " + need.title);
  auto stored = read(id);
  tx.commit();
  return *stored;
}

std::optional<core::Need> GpkgNeeds::need(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return read(id);
}

std::vector<core::Need> GpkgNeeds::needs(const core::NeedFilter& filter) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> values;
  std::string sql = std::string("SELECT ") + need_sql::kNeedColumns + " FROM amis_needs n" +
                    need_sql::where(filter, numbered, values);
  const int limit = static_cast<int>(values.size()) + 1;
  sql += " ORDER BY n.id DESC LIMIT ?" + std::to_string(limit) + " OFFSET ?" + std::to_string(limit + 1);
  auto s = db_->cached(sql);
  bind_all(*s, values);
  s->bind(limit, filter.limit);
  s->bind(limit + 1, filter.offset);
  std::vector<core::Need> out;
  while (s->step()) out.push_back(need_sql::read_need(reader(*s)));
  return out;
}

std::int64_t GpkgNeeds::count_needs(const core::NeedFilter& filter) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> values;
  auto s = db_->cached("SELECT count(*) FROM amis_needs n" + need_sql::where(filter, numbered, values));
  bind_all(*s, values);
  s->step();
  return s->column_int(0);
}

std::optional<core::Need> GpkgNeeds::triage_need(std::int64_t id, const core::NeedTriage& triage,
                                                 const std::string& actor) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);  // immediate: no other writer between the read and the update
  auto before = read(id);
  if (!before) return std::nullopt;
  const auto changes = core::triage_changes(*before, triage);
  if (changes.empty()) return before;
  const auto after = core::apply(*before, triage);
  {
    auto s = db_->cached(std::string("UPDATE amis_needs SET status = ?, priority = ?, assignee = ?, resolution = ?, "
                                     "updated = ") + kNow + " WHERE id = ?");
    s->bind(1, std::string_view(core::to_string(after.status)));
    s->bind(2, std::string_view(core::to_string(after.priority)));
    s->bind(3, std::string_view(after.assignee));
    s->bind(4, std::string_view(after.resolution));
    s->bind(5, id);
    s->run();
  }
  for (const auto& line : changes) append_note(id, actor, core::NeedNote::Kind::Change, line);
  audit(actor, "triage need", id, need_sql::audit_detail(changes));
  auto stored = read(id);
  tx.commit();
  return stored;
}

std::optional<core::NeedNote> GpkgNeeds::add_need_comment(std::int64_t id, const std::string& author,
                                                          const std::string& text) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  if (!read(id)) return std::nullopt;
  auto note = append_note(id, author, core::NeedNote::Kind::Comment, text);
  {
    auto s = db_->cached(std::string("UPDATE amis_needs SET updated = ") + kNow + " WHERE id = ?");
    s->bind(1, id);
    s->run();
  }
  audit(author, "comment need", id, text.substr(0, 200));
  tx.commit();
  return note;
}

std::vector<core::NeedNote> GpkgNeeds::need_notes(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string("SELECT ") + need_sql::kNoteColumns + " FROM amis_need_notes WHERE need = ? ORDER BY id");
  s->bind(1, id);
  std::vector<core::NeedNote> out;
  while (s->step()) out.push_back(need_sql::read_note(reader(*s)));
  return out;
}

std::int64_t GpkgNeeds::count_need_comments(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT count(*) FROM amis_need_notes WHERE need = ? AND kind = 'comment'");
  s->bind(1, id);
  s->step();
  return s->column_int(0);
}

std::vector<core::NeedCount> GpkgNeeds::need_counts() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT kind, status, country, count(*) FROM amis_needs GROUP BY kind, status, country ORDER BY kind, status, country");
  std::vector<core::NeedCount> out;
  while (s->step()) {
    core::NeedCount c;
    c.kind = core::parse_need_kind(s->column_text(0)).value_or(core::NeedKind::Dataset);
    c.status = core::parse_need_status(s->column_text(1)).value_or(core::NeedStatus::New);
    c.country = s->column_text(2);
    c.needs = s->column_int(3);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace amis::store::gpkg
