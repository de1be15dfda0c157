#include "store/need_sql.hpp"

namespace amis::store::need_sql {

std::string tables_ddl(const std::string& text, const std::string& id, const std::string& integer) {
  const std::string t = text + " NOT NULL";
  return "CREATE TABLE IF NOT EXISTS amis_needs (id " + id + ", kind " + t +
         " CHECK (kind IN ('dataset', 'service', 'data-problem')), title " + t + ", description " + t +
         ", collection " + t + ", feature " + integer + ", submitter " + t + ", country " + t + ", created " + t +
         ", updated " + t + ", status " + t +
         " CHECK (status IN ('new', 'triaged', 'planned', 'in-progress', 'done', 'declined', 'duplicate')), priority " +
         t + " CHECK (priority IN ('low', 'normal', 'high', 'urgent')), assignee " + t + ", resolution " + t + ");\n" +
         "CREATE INDEX IF NOT EXISTS amis_needs_submitter ON amis_needs (submitter, id);\n"
         "CREATE INDEX IF NOT EXISTS amis_needs_status ON amis_needs (status, id);\n"
         "CREATE TABLE IF NOT EXISTS amis_need_notes (id " + id + ", need " + integer +
         " NOT NULL REFERENCES amis_needs (id), time " + t + ", author " + t + ", kind " + t +
         " CHECK (kind IN ('comment', 'change')), text " + t + ");\n" +
         "CREATE INDEX IF NOT EXISTS amis_need_notes_need ON amis_need_notes (need, id);\n";
}

const char* const kNeedColumns =
    "n.id, n.kind, n.title, n.description, n.collection, n.feature, n.submitter, n.country, n.created, n.updated, "
    "n.status, n.priority, n.assignee, n.resolution, "
    "(SELECT count(*) FROM amis_need_notes c WHERE c.need = n.id AND c.kind = 'comment')";

const char* const kNoteColumns = "id, need, time, author, kind, text";

std::string where(const core::NeedFilter& f, const Placeholder& p, std::vector<std::string>& values) {
  std::string sql;
  auto add = [&](const char* column, const std::string& value) {
    values.push_back(value);
    sql += (sql.empty() ? " WHERE " : " AND ") + std::string("n.") + column + " = " + p(static_cast<int>(values.size()));
  };
  if (f.submitter) add("submitter", *f.submitter);
  if (f.kind) add("kind", core::to_string(*f.kind));
  if (f.status) add("status", core::to_string(*f.status));
  if (f.country) add("country", *f.country);
  if (f.assignee) add("assignee", *f.assignee);
  if (f.collection) add("collection", *f.collection);
  if (f.before) {
    values.push_back(std::to_string(*f.before));
    sql += (sql.empty() ? " WHERE " : " AND ") + std::string("n.id < ") + p(static_cast<int>(values.size()));
  }
  return sql;
}

core::Need read_need(const RowReader& row) {
  core::Need n;
  auto text = [&](int i) { return row.text(i).value_or(""); };
  n.id = row.integer(0);
  n.kind = core::parse_need_kind(text(1)).value_or(core::NeedKind::Dataset);
  n.title = text(2);
  n.description = text(3);
  n.collection = text(4);
  if (row.text(5)) n.feature = row.integer(5);
  n.submitter = text(6);
  n.country = text(7);
  n.created = text(8);
  n.updated = text(9);
  n.status = core::parse_need_status(text(10)).value_or(core::NeedStatus::New);
  n.priority = core::parse_need_priority(text(11)).value_or(core::NeedPriority::Normal);
  n.assignee = text(12);
  n.resolution = text(13);
  n.comments = row.integer(14);
  return n;
}

core::NeedNote read_note(const RowReader& row) {
  core::NeedNote note;
  note.id = row.integer(0);
  note.need = row.integer(1);
  note.time = row.text(2).value_or("");
  note.author = row.text(3).value_or("");
  note.kind = row.text(4).value_or("") == "change" ? core::NeedNote::Kind::Change : core::NeedNote::Kind::Comment;
  note.text = row.text(5).value_or("");
  return note;
}

const char* to_string(core::NeedNote::Kind kind) { return kind == core::NeedNote::Kind::Change ? "change" : "comment"; }

std::string subject(std::int64_t id) { return "need " + std::to_string(id); }

std::string audit_detail(const std::vector<std::string>& changes) {
  std::string out;
  for (const auto& line : changes) out += (out.empty() ? "" : "; ") + line;
  return out;
}

}  // namespace amis::store::need_sql
