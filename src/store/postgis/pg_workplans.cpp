#include "store/postgis/pg_workplans.hpp"

#include "store/workplan_rows.hpp"

namespace amis::store::postgis {
namespace {

// Text in the "C" collation sorts as SQLite does, so both stores list alike.
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS amis_workplans (
  id text COLLATE "C" PRIMARY KEY, title text NOT NULL, period_start integer NOT NULL, period_end integer NOT NULL,
  source text NOT NULL, loaded text NOT NULL);
CREATE TABLE IF NOT EXISTS amis_workplan_areas (
  plan text COLLATE "C" NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, position integer NOT NULL,
  no text NOT NULL, code text NOT NULL, title text NOT NULL, PRIMARY KEY (plan, code));
CREATE TABLE IF NOT EXISTS amis_workplan_activities (
  plan text COLLATE "C" NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, position integer NOT NULL,
  id text COLLATE "C" NOT NULL, area text NOT NULL, text text NOT NULL, partner_named text NOT NULL,
  lead text NOT NULL, co_lead text NOT NULL, partners text NOT NULL, country_coordinator text NOT NULL,
  planned_start text NOT NULL, planned_end text NOT NULL, PRIMARY KEY (plan, id));
CREATE TABLE IF NOT EXISTS amis_workplan_outputs (
  plan text COLLATE "C" NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, activity text COLLATE "C" NOT NULL,
  position integer NOT NULL, text text NOT NULL, PRIMARY KEY (plan, activity, position));
CREATE TABLE IF NOT EXISTS amis_workplan_indicators (
  plan text COLLATE "C" NOT NULL REFERENCES amis_workplans (id) ON DELETE CASCADE, activity text COLLATE "C" NOT NULL,
  position integer NOT NULL, name text NOT NULL, type text NOT NULL
  CHECK (type IN ('milestone', 'count', 'percentage', 'text')), output integer NOT NULL,
  baseline text NOT NULL, targets text NOT NULL, PRIMARY KEY (plan, activity, position));
CREATE TABLE IF NOT EXISTS amis_workplan_meetings (
  plan text COLLATE "C" NOT NULL, meeting text COLLATE "C" NOT NULL, title text NOT NULL, held text NOT NULL,
  frozen text NOT NULL, frozen_by text NOT NULL, state text NOT NULL, PRIMARY KEY (plan, meeting));
CREATE TABLE IF NOT EXISTS amis_workplan_documents (
  id bigserial PRIMARY KEY, plan text COLLATE "C" NOT NULL, activity text COLLATE "C" NOT NULL,
  country text NOT NULL, title text NOT NULL, media_type text NOT NULL, uploaded text NOT NULL,
  uploaded_by text NOT NULL, content bytea NOT NULL);
)SQL";

// Work plans are replaced one at a time (any node).
constexpr const char* kPlanLock = "SELECT pg_advisory_xact_lock(4242019, hashtext($1))";

void insert_activity(Connection& c, const std::string& plan, int position, const workplan::Activity& a) {
  c.exec(
      "INSERT INTO amis_workplan_activities (plan, position, id, area, text, partner_named, lead, co_lead, partners, "
      "country_coordinator, planned_start, planned_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      Params()
          .text(plan)
          .integer(position)
          .text(a.id)
          .text(a.area)
          .text(a.text)
          .text(a.partner_named)
          .text(a.lead)
          .text(a.co_lead)
          .text(join_countries(a.partners))
          .text(a.country_coordinator)
          .text(a.planned_start)
          .text(a.planned_end));
  for (std::size_t o = 0; o < a.outputs.size(); ++o)
    c.exec("INSERT INTO amis_workplan_outputs (plan, activity, position, text) VALUES ($1, $2, $3, $4)",
           Params().text(plan).text(a.id).integer(static_cast<std::int64_t>(o)).text(a.outputs[o].text));
  for (std::size_t n = 0; n < a.indicators.size(); ++n) {
    const auto& ind = a.indicators[n];
    c.exec(
        "INSERT INTO amis_workplan_indicators (plan, activity, position, name, type, output, baseline, targets) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params()
            .text(plan)
            .text(a.id)
            .integer(static_cast<std::int64_t>(n))
            .text(ind.name)
            .text(workplan::to_string(ind.type))
            .integer(ind.output)
            .text(ind.baseline)
            .text(targets_text(ind.targets)));
  }
}

workplan::MeetingReport read_meeting(const Result& r, int row) {
  workplan::MeetingReport m;
  m.plan = r.text(row, 0);
  m.meeting = r.text(row, 1);
  m.title = r.text(row, 2);
  m.held = r.text(row, 3);
  m.frozen = r.text(row, 4);
  m.frozen_by = r.text(row, 5);
  m.state = workplan::plan_state_from_json(nlohmann::json::parse(r.text(row, 6), nullptr, false));
  return m;
}

constexpr const char* kMeetingSelect =
    "SELECT plan, meeting, title, held, frozen, frozen_by, state FROM amis_workplan_meetings WHERE plan = $1";

}  // namespace

const char* PgWorkPlans::schema() { return kSchema; }

void PgWorkPlans::put_plan(const workplan::WorkPlan& plan) {
  auto c = pool_.acquire();
  Transaction tx(*c);
  c->exec(kPlanLock, Params().text(plan.id));
  for (const char* table : {"amis_workplan_indicators", "amis_workplan_outputs", "amis_workplan_activities",
                            "amis_workplan_areas"})
    c->exec(std::string("DELETE FROM ") + table + " WHERE plan = $1", Params().text(plan.id));
  c->exec("DELETE FROM amis_workplans WHERE id = $1", Params().text(plan.id));
  c->exec(
      "INSERT INTO amis_workplans (id, title, period_start, period_end, source, loaded) "
      "VALUES ($1, $2, $3, $4, $5, amis_utc_seconds())",
      Params().text(plan.id).text(plan.title).integer(plan.period_start).integer(plan.period_end).text(plan.source));
  for (std::size_t i = 0; i < plan.areas.size(); ++i) {
    const auto& a = plan.areas[i];
    c->exec("INSERT INTO amis_workplan_areas (plan, position, no, code, title) VALUES ($1, $2, $3, $4, $5)",
            Params().text(plan.id).integer(static_cast<std::int64_t>(i)).text(a.no).text(a.code).text(a.title));
  }
  for (std::size_t i = 0; i < plan.activities.size(); ++i)
    insert_activity(*c, plan.id, static_cast<int>(i), plan.activities[i]);
  tx.commit();
}

std::vector<workplan::WorkPlanSummary> PgWorkPlans::plans() {
  auto c = pool_.acquire();
  const auto r = c->exec("SELECT id, title, period_start, period_end, loaded FROM amis_workplans ORDER BY period_start, id");
  std::vector<workplan::WorkPlanSummary> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({std::string(r.text(i, 0)), std::string(r.text(i, 1)), static_cast<int>(r.integer(i, 2)),
                   static_cast<int>(r.integer(i, 3)), std::string(r.text(i, 4))});
  return out;
}

std::optional<workplan::WorkPlan> PgWorkPlans::plan(std::string_view id) {
  auto c = pool_.acquire();
  const auto head = c->exec("SELECT id, title, period_start, period_end, source FROM amis_workplans WHERE id = $1",
                            Params().text(id));
  if (head.rows() == 0) return std::nullopt;
  workplan::WorkPlan plan;
  plan.id = head.text(0, 0);
  plan.title = head.text(0, 1);
  plan.period_start = static_cast<int>(head.integer(0, 2));
  plan.period_end = static_cast<int>(head.integer(0, 3));
  plan.source = head.text(0, 4);
  const auto areas = c->exec("SELECT no, code, title FROM amis_workplan_areas WHERE plan = $1 ORDER BY position",
                             Params().text(id));
  for (int i = 0; i < areas.rows(); ++i)
    plan.areas.push_back({std::string(areas.text(i, 0)), std::string(areas.text(i, 1)), std::string(areas.text(i, 2))});
  const auto activities = c->exec(
      "SELECT id, area, text, partner_named, lead, co_lead, partners, country_coordinator, planned_start, "
      "planned_end FROM amis_workplan_activities WHERE plan = $1 ORDER BY position",
      Params().text(id));
  for (int i = 0; i < activities.rows(); ++i) {
    workplan::Activity a;
    a.id = activities.text(i, 0);
    a.area = activities.text(i, 1);
    a.text = activities.text(i, 2);
    a.partner_named = activities.text(i, 3);
    a.lead = activities.text(i, 4);
    a.co_lead = activities.text(i, 5);
    a.partners = split_countries(activities.text(i, 6));
    a.country_coordinator = activities.text(i, 7);
    a.planned_start = activities.text(i, 8);
    a.planned_end = activities.text(i, 9);
    plan.activities.push_back(std::move(a));
  }
  const auto outputs = c->exec(
      "SELECT activity, text FROM amis_workplan_outputs WHERE plan = $1 ORDER BY activity, position", Params().text(id));
  for (int i = 0; i < outputs.rows(); ++i)
    if (auto* a = plan.activity(outputs.text(i, 0))) a->outputs.push_back({std::string(outputs.text(i, 1))});
  const auto indicators = c->exec(
      "SELECT activity, name, type, output, baseline, targets FROM amis_workplan_indicators WHERE plan = $1 "
      "ORDER BY activity, position",
      Params().text(id));
  for (int i = 0; i < indicators.rows(); ++i) {
    auto* a = plan.activity(indicators.text(i, 0));
    if (!a) continue;
    workplan::Indicator ind;
    ind.name = indicators.text(i, 1);
    ind.type = workplan::parse_indicator_type(indicators.text(i, 2)).value_or(workplan::IndicatorType::Text);
    ind.output = static_cast<int>(indicators.integer(i, 3));
    ind.baseline = indicators.text(i, 4);
    ind.targets = targets_from_text(indicators.text(i, 5));
    a->indicators.push_back(std::move(ind));
  }
  return plan;
}

bool PgWorkPlans::freeze(const workplan::MeetingReport& report) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "INSERT INTO amis_workplan_meetings (plan, meeting, title, held, frozen, frozen_by, state) "
      "VALUES ($1, $2, $3, $4, amis_utc_millis(), $5, $6) ON CONFLICT (plan, meeting) DO NOTHING",
      Params()
          .text(report.plan)
          .text(report.meeting)
          .text(report.title)
          .text(report.held)
          .text(report.frozen_by)
          .text(workplan::to_json(report.state).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  return r.affected() > 0;
}

std::vector<workplan::MeetingReport> PgWorkPlans::meetings(std::string_view plan) {
  auto c = pool_.acquire();
  const auto r = c->exec(std::string(kMeetingSelect) + " ORDER BY frozen, meeting", Params().text(plan));
  std::vector<workplan::MeetingReport> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_meeting(r, i));
  return out;
}

std::optional<workplan::MeetingReport> PgWorkPlans::meeting(std::string_view plan, std::string_view meeting) {
  auto c = pool_.acquire();
  const auto r = c->exec(std::string(kMeetingSelect) + " AND meeting = $2", Params().text(plan).text(meeting));
  if (r.rows() == 0) return std::nullopt;
  return read_meeting(r, 0);
}

std::int64_t PgWorkPlans::put_document(const workplan::EvidenceDocument& d) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "INSERT INTO amis_workplan_documents (plan, activity, country, title, media_type, uploaded, uploaded_by, "
      "content) VALUES ($1, $2, $3, $4, $5, amis_utc_millis(), $6, $7) RETURNING id",
      Params()
          .text(d.plan)
          .text(d.activity)
          .text(d.country)
          .text(d.title)
          .text(d.media_type)
          .text(d.uploaded_by)
          .bytes({reinterpret_cast<const std::uint8_t*>(d.bytes.data()), d.bytes.size()}));
  return r.integer(0, 0);
}

std::optional<workplan::EvidenceDocument> PgWorkPlans::document(std::string_view plan, std::int64_t id) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT id, plan, activity, country, title, media_type, uploaded, uploaded_by, content "
      "FROM amis_workplan_documents WHERE plan = $1 AND id = $2",
      Params().text(plan).integer(id), Format::Binary);
  if (r.rows() == 0) return std::nullopt;
  workplan::EvidenceDocument d;
  d.id = r.integer(0, 0);
  int i = 1;
  for (auto* v : {&d.plan, &d.activity, &d.country, &d.title, &d.media_type, &d.uploaded, &d.uploaded_by})
    *v = r.text(0, i++);
  const auto bytes = r.bytes(0, 8);
  d.bytes.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return d;
}

std::vector<workplan::EvidenceDocument> PgWorkPlans::documents_uploaded_before(const std::string& before,
                                                                              std::int64_t limit) {
  auto c = pool_.acquire();
  const auto r = c->exec(
      "SELECT id, plan, activity, country, title, media_type, uploaded, uploaded_by "
      "FROM amis_workplan_documents WHERE uploaded < $1 ORDER BY uploaded, id LIMIT $2",
      Params().text(before).integer(limit));
  std::vector<workplan::EvidenceDocument> out;
  for (int row = 0; row < r.rows(); ++row) {
    workplan::EvidenceDocument d;
    d.id = r.integer(row, 0);
    int i = 1;
    for (auto* v : {&d.plan, &d.activity, &d.country, &d.title, &d.media_type, &d.uploaded, &d.uploaded_by})
      *v = r.text(row, i++);
    out.push_back(std::move(d));
  }
  return out;
}

bool PgWorkPlans::delete_document(std::int64_t id) {
  auto c = pool_.acquire();
  return c->exec("DELETE FROM amis_workplan_documents WHERE id = $1 RETURNING id", Params().integer(id)).rows() > 0;
}

}  // namespace amis::store::postgis
