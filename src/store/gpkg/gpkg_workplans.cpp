#include "store/gpkg/gpkg_workplans.hpp"

#include "store/workplan_rows.hpp"

namespace amis::store::gpkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_workplans (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
  source TEXT NOT NULL, loaded TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS amis_workplan_areas (
  plan TEXT NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, position INTEGER NOT NULL,
  no TEXT NOT NULL, code TEXT NOT NULL, title TEXT NOT NULL, PRIMARY KEY (plan, code));
CREATE TABLE IF NOT EXISTS amis_workplan_activities (
  plan TEXT NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, position INTEGER NOT NULL,
  id TEXT NOT NULL, area TEXT NOT NULL, text TEXT NOT NULL, partner_named TEXT NOT NULL,
  lead TEXT NOT NULL, co_lead TEXT NOT NULL, partners TEXT NOT NULL, country_coordinator TEXT NOT NULL,
  planned_start TEXT NOT NULL, planned_end TEXT NOT NULL, PRIMARY KEY (plan, id));
CREATE TABLE IF NOT EXISTS amis_workplan_outputs (
  plan TEXT NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, activity TEXT NOT NULL,
  position INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (plan, activity, position));
CREATE TABLE IF NOT EXISTS amis_workplan_indicators (
  plan TEXT NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, activity TEXT NOT NULL,
  position INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL
  CHECK (type IN ('milestone', 'count', 'percentage', 'text')), output INTEGER NOT NULL,
  baseline TEXT NOT NULL, targets TEXT NOT NULL, PRIMARY KEY (plan, activity, position));
CREATE TABLE IF NOT EXISTS amis_workplan_meetings (
  plan TEXT NOT NULL, meeting TEXT NOT NULL, title TEXT NOT NULL, held TEXT NOT NULL, frozen TEXT NOT NULL,
  frozen_by TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (plan, meeting));
CREATE TABLE IF NOT EXISTS amis_workplan_documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT, plan TEXT NOT NULL, activity TEXT NOT NULL, country TEXT NOT NULL,
  title TEXT NOT NULL,
  media_type TEXT NOT NULL, uploaded TEXT NOT NULL, uploaded_by TEXT NOT NULL, content BLOB NOT NULL);
)SQL";

void bind_text(sqlite::Database::Lease& s, int index, const std::string& value) {
  s->bind(index, std::string_view(value));
}

void delete_plan(sqlite::Database& db, const std::string& id) {
  for (const char* table : {"amis_workplan_indicators", "amis_workplan_outputs", "amis_workplan_activities",
                            "amis_workplan_areas", "amis_workplans"}) {
    auto s = db.cached(std::string("DELETE FROM ") + table + (std::string_view(table) == "amis_workplans"
                                                                   ? " WHERE id = ?"
                                                                   : " WHERE plan = ?"));
    bind_text(s, 1, id);
    s->run();
  }
}

void insert_activity(sqlite::Database& db, const std::string& plan, int position, const workplan::Activity& a) {
  auto s = db.cached(
      "INSERT INTO amis_workplan_activities (plan, position, id, area, text, partner_named, lead, co_lead, partners, "
      "country_coordinator, planned_start, planned_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_text(s, 1, plan);
  s->bind(2, std::int64_t{position});
  int i = 3;
  for (const auto* v : {&a.id, &a.area, &a.text, &a.partner_named, &a.lead, &a.co_lead}) bind_text(s, i++, *v);
  bind_text(s, i++, join_countries(a.partners));
  for (const auto* v : {&a.country_coordinator, &a.planned_start, &a.planned_end}) bind_text(s, i++, *v);
  s->run();
  for (std::size_t o = 0; o < a.outputs.size(); ++o) {
    auto out = db.cached("INSERT INTO amis_workplan_outputs (plan, activity, position, text) VALUES (?, ?, ?, ?)");
    bind_text(out, 1, plan);
    bind_text(out, 2, a.id);
    out->bind(3, static_cast<std::int64_t>(o));
    bind_text(out, 4, a.outputs[o].text);
    out->run();
  }
  for (std::size_t n = 0; n < a.indicators.size(); ++n) {
    const auto& ind = a.indicators[n];
    auto in = db.cached(
        "INSERT INTO amis_workplan_indicators (plan, activity, position, name, type, output, baseline, targets) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    bind_text(in, 1, plan);
    bind_text(in, 2, a.id);
    in->bind(3, static_cast<std::int64_t>(n));
    bind_text(in, 4, ind.name);
    in->bind(5, std::string_view(workplan::to_string(ind.type)));
    in->bind(6, std::int64_t{ind.output});
    bind_text(in, 7, ind.baseline);
    bind_text(in, 8, targets_text(ind.targets));
    in->run();
  }
}

workplan::MeetingReport read_meeting(sqlite::Statement& s) {
  workplan::MeetingReport m;
  m.plan = s.column_text(0);
  m.meeting = s.column_text(1);
  m.title = s.column_text(2);
  m.held = s.column_text(3);
  m.frozen = s.column_text(4);
  m.frozen_by = s.column_text(5);
  m.state = workplan::plan_state_from_json(nlohmann::json::parse(s.column_text(6), nullptr, false));
  return m;
}

constexpr const char* kMeetingSelect =
    "SELECT plan, meeting, title, held, frozen, frozen_by, state FROM amis_workplan_meetings WHERE plan = ?";

}  // namespace

GpkgWorkPlans::GpkgWorkPlans(const std::string& path)
    : db_(std::make_unique<sqlite::Database>(path, sqlite::Database::Mode::ReadWrite)) {
  db_->exec(kSchema);
}

void GpkgWorkPlans::put_plan(const workplan::WorkPlan& plan) {
  std::lock_guard lock(mutex_);
  sqlite::Transaction tx(*db_);
  delete_plan(*db_, plan.id);
  {
    auto s = db_->cached(
        "INSERT INTO amis_workplans (id, title, period_start, period_end, source, loaded) "
        "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))");
    bind_text(s, 1, plan.id);
    bind_text(s, 2, plan.title);
    s->bind(3, std::int64_t{plan.period_start});
    s->bind(4, std::int64_t{plan.period_end});
    bind_text(s, 5, plan.source);
    s->run();
  }
  for (std::size_t i = 0; i < plan.areas.size(); ++i) {
    const auto& a = plan.areas[i];
    auto s = db_->cached("INSERT INTO amis_workplan_areas (plan, position, no, code, title) VALUES (?, ?, ?, ?, ?)");
    bind_text(s, 1, plan.id);
    s->bind(2, static_cast<std::int64_t>(i));
    bind_text(s, 3, a.no);
    bind_text(s, 4, a.code);
    bind_text(s, 5, a.title);
    s->run();
  }
  for (std::size_t i = 0; i < plan.activities.size(); ++i)
    insert_activity(*db_, plan.id, static_cast<int>(i), plan.activities[i]);
  tx.commit();
}

std::vector<workplan::WorkPlanSummary> GpkgWorkPlans::plans() {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("SELECT id, title, period_start, period_end, loaded FROM amis_workplans ORDER BY period_start, id");
  std::vector<workplan::WorkPlanSummary> out;
  while (s->step())
    out.push_back({std::string(s->column_text(0)), std::string(s->column_text(1)),
                   static_cast<int>(s->column_int(2)), static_cast<int>(s->column_int(3)),
                   std::string(s->column_text(4))});
  return out;
}

std::optional<workplan::WorkPlan> GpkgWorkPlans::plan(std::string_view id) {
  std::lock_guard lock(mutex_);
  workplan::WorkPlan plan;
  {
    auto s = db_->cached("SELECT id, title, period_start, period_end, source FROM amis_workplans WHERE id = ?");
    s->bind(1, id);
    if (!s->step()) return std::nullopt;
    plan.id = s->column_text(0);
    plan.title = s->column_text(1);
    plan.period_start = static_cast<int>(s->column_int(2));
    plan.period_end = static_cast<int>(s->column_int(3));
    plan.source = s->column_text(4);
  }
  {
    auto s = db_->cached("SELECT no, code, title FROM amis_workplan_areas WHERE plan = ? ORDER BY position");
    s->bind(1, id);
    while (s->step())
      plan.areas.push_back({std::string(s->column_text(0)), std::string(s->column_text(1)), std::string(s->column_text(2))});
  }
  {
    auto s = db_->cached(
        "SELECT id, area, text, partner_named, lead, co_lead, partners, country_coordinator, planned_start, "
        "planned_end FROM amis_workplan_activities WHERE plan = ? ORDER BY position");
    s->bind(1, id);
    while (s->step()) {
      workplan::Activity a;
      a.id = s->column_text(0);
      a.area = s->column_text(1);
      a.text = s->column_text(2);
      a.partner_named = s->column_text(3);
      a.lead = s->column_text(4);
      a.co_lead = s->column_text(5);
      a.partners = split_countries(s->column_text(6));
      a.country_coordinator = s->column_text(7);
      a.planned_start = s->column_text(8);
      a.planned_end = s->column_text(9);
      plan.activities.push_back(std::move(a));
    }
  }
  {
    auto s = db_->cached("SELECT activity, text FROM amis_workplan_outputs WHERE plan = ? ORDER BY activity, position");
    s->bind(1, id);
    while (s->step())
      if (auto* a = plan.activity(s->column_text(0))) a->outputs.push_back({std::string(s->column_text(1))});
  }
  {
    auto s = db_->cached(
        "SELECT activity, name, type, output, baseline, targets FROM amis_workplan_indicators WHERE plan = ? "
        "ORDER BY activity, position");
    s->bind(1, id);
    while (s->step()) {
      auto* a = plan.activity(s->column_text(0));
      if (!a) continue;
      workplan::Indicator ind;
      ind.name = s->column_text(1);
      ind.type = workplan::parse_indicator_type(s->column_text(2)).value_or(workplan::IndicatorType::Text);
      ind.output = static_cast<int>(s->column_int(3));
      ind.baseline = s->column_text(4);
      ind.targets = targets_from_text(s->column_text(5));
      a->indicators.push_back(std::move(ind));
    }
  }
  return plan;
}

bool GpkgWorkPlans::freeze(const workplan::MeetingReport& report) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "INSERT INTO amis_workplan_meetings (plan, meeting, title, held, frozen, frozen_by, state) "
      "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?) ON CONFLICT (plan, meeting) DO NOTHING");
  bind_text(s, 1, report.plan);
  bind_text(s, 2, report.meeting);
  bind_text(s, 3, report.title);
  bind_text(s, 4, report.held);
  bind_text(s, 5, report.frozen_by);
  bind_text(s, 6, workplan::to_json(report.state).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

std::vector<workplan::MeetingReport> GpkgWorkPlans::meetings(std::string_view plan) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kMeetingSelect) + " ORDER BY frozen, meeting");
  s->bind(1, plan);
  std::vector<workplan::MeetingReport> out;
  while (s->step()) out.push_back(read_meeting(*s));
  return out;
}

std::optional<workplan::MeetingReport> GpkgWorkPlans::meeting(std::string_view plan, std::string_view meeting) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(std::string(kMeetingSelect) + " AND meeting = ?");
  s->bind(1, plan);
  s->bind(2, meeting);
  if (!s->step()) return std::nullopt;
  return read_meeting(*s);
}

std::int64_t GpkgWorkPlans::put_document(const workplan::EvidenceDocument& d) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "INSERT INTO amis_workplan_documents (plan, activity, country, title, media_type, uploaded, uploaded_by, "
      "content) VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, ?)");
  int i = 1;
  for (const auto* v : {&d.plan, &d.activity, &d.country, &d.title, &d.media_type, &d.uploaded_by}) bind_text(s, i++, *v);
  s->bind_blob(i, {reinterpret_cast<const std::uint8_t*>(d.bytes.data()), d.bytes.size()});
  s->run();
  return sqlite3_last_insert_rowid(db_->handle());
}

std::optional<workplan::EvidenceDocument> GpkgWorkPlans::document(std::string_view plan, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT id, plan, activity, country, title, media_type, uploaded, uploaded_by, content "
      "FROM amis_workplan_documents WHERE plan = ? AND id = ?");
  s->bind(1, plan);
  s->bind(2, id);
  if (!s->step()) return std::nullopt;
  workplan::EvidenceDocument d;
  d.id = s->column_int(0);
  int i = 1;
  for (auto* v : {&d.plan, &d.activity, &d.country, &d.title, &d.media_type, &d.uploaded, &d.uploaded_by})
    *v = s->column_text(i++);
  const auto blob = s->column_blob(8);
  d.bytes.assign(reinterpret_cast<const char*>(blob.data()), blob.size());
  return d;
}

std::vector<workplan::EvidenceDocument> GpkgWorkPlans::documents_uploaded_before(const std::string& before,
                                                                                std::int64_t limit) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached(
      "SELECT id, plan, activity, country, title, media_type, uploaded, uploaded_by "
      "FROM amis_workplan_documents WHERE uploaded < ? ORDER BY uploaded, id LIMIT ?");
  s->bind(1, std::string_view(before));
  s->bind(2, limit);
  std::vector<workplan::EvidenceDocument> out;
  while (s->step()) {
    workplan::EvidenceDocument d;
    d.id = s->column_int(0);
    int i = 1;
    for (auto* v : {&d.plan, &d.activity, &d.country, &d.title, &d.media_type, &d.uploaded, &d.uploaded_by})
      *v = s->column_text(i++);
    out.push_back(std::move(d));
  }
  return out;
}

bool GpkgWorkPlans::delete_document(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto s = db_->cached("DELETE FROM amis_workplan_documents WHERE id = ?");
  s->bind(1, id);
  s->run();
  return sqlite3_changes(db_->handle()) > 0;
}

}  // namespace amis::store::gpkg
