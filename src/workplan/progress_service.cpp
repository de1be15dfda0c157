#include "workplan/progress_service.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "auth/account.hpp"
#include "core/error.hpp"

namespace amis::workplan {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxReports = 100000;

// Collects the published reports of one plan.
class ReportSink final : public core::FeatureSink {
 public:
  ReportSink(const std::string& plan, std::vector<ProgressReport>& out) : plan_(plan), out_(out) {}
  void begin(const core::Collection& collection) override { collection_ = collection; }
  void feature(const core::FeatureView& f) override {
    json p = json::object();
    for (std::size_t i = 0; i < f.values.size() && i < collection_.properties.size(); ++i)
      if (f.values[i].kind == core::Value::Kind::Text) p[collection_.properties[i].name] = std::string(f.values[i].text);
    if (p.value("work_plan", "") == plan_) out_.push_back(from_properties(f.id, p));
  }
  void end() override {}

 private:
  const std::string& plan_;
  std::vector<ProgressReport>& out_;
  core::Collection collection_;
};

bool is_asean(const std::string& country) {
  for (const auto& c : asean_member_states())
    if (country == c) return true;
  return false;
}

}  // namespace

const std::vector<std::string>& asean_member_states() {
  static const std::vector<std::string> states = {"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"};
  return states;
}

std::string utc_now(int days_before, bool millis) {
  const auto now = std::chrono::system_clock::now() - std::chrono::hours(24) * days_before;
  const auto t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buffer;
  if (millis) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::snprintf(buffer, sizeof buffer, ".%03d", static_cast<int>(ms));
    out += buffer;
  }
  return out + "Z";
}

void ensure_progress_collection(store::Store& store) {
  if (store.collection(kProgressCollection)) return;
  try {
    auto writer = store.replace_collection(progress_collection());
    writer->commit();
  } catch (const core::OgcError&) {
    // Nodes of one store that start together race to create it: one makes it, the
    // others find it made (PostgreSQL refuses their CREATE TABLE).
    if (!store.collection(kProgressCollection)) throw;
  }
}

std::vector<std::string> ProgressScope::countries(const edit::FeatureState& feature, std::string& subject) const {
  const auto& p = feature.properties;
  const std::string plan_id = p.contains("work_plan") && p["work_plan"].is_string() ? p["work_plan"].get<std::string>() : "";
  const std::string activity_id = p.contains("activity") && p["activity"].is_string() ? p["activity"].get<std::string>() : "";
  const auto plan = valid_plan_id(plan_id) ? plans_.plan(plan_id) : std::nullopt;
  if (!plan) throw core::InvalidValue("work_plan", "'work_plan' names no work plan in the store");
  const Activity* activity = plan->activity(activity_id);
  if (!activity) throw core::InvalidValue("activity", "'activity' names no activity of " + plan_id);
  subject = "activity " + activity->id + " of " + plan->id;
  return activity->reporting_countries();
}

WorkPlan ProgressService::plan(const std::string& id) {
  auto plan = valid_plan_id(id) ? plans_.plan(id) : std::nullopt;
  if (!plan) throw core::NotFound("no work plan '" + id.substr(0, 64) + "'");
  return *plan;
}

edit::WriteResult ProgressService::submit(const auth::Principal& who, const WorkPlan& plan, const std::string& activity_id,
                                          const json& body) {
  const Activity* activity = plan.activity(activity_id);
  if (!activity) throw core::NotFound("no activity '" + activity_id.substr(0, 16) + "' in " + plan.id);
  auto report = parse_report(body, plan, *activity);
  if (who.role == auth::Role::Editor) {
    if (!report.country.empty() && report.country != who.country)
      throw core::Forbidden("an editor for " + who.country + " reports for " + who.country + " only");
    report.country = who.country;
  } else if (report.country.empty()) {
    throw core::InvalidValue("country", "'country' names the reporting member state");
  }
  report.reported = utc_now(0, true);  // to the millisecond: the latest report of an activity wins
  const auto collection = store_.collection(kProgressCollection);
  if (!collection) throw core::Conflict("the store has no progress collection: load a work plan first");
  edit::FeatureState state;
  state.properties = to_properties(report);
  for (const auto& existing : reports(plan))
    if (existing.activity == report.activity && existing.meeting == report.meeting && existing.country == report.country)
      return changes_.replace(who, *collection, existing.fid, std::move(state), "", std::nullopt);
  return changes_.insert(who, *collection, std::move(state), std::nullopt);
}

std::vector<ProgressReport> approved_reports(store::Store& store, const WorkPlan& plan) {
  std::vector<ProgressReport> out;
  const auto collection = store.collection(kProgressCollection);
  if (!collection) return out;
  core::FeatureQuery query;
  query.collection = collection->id;
  query.limit = kMaxReports;
  ReportSink sink(plan.id, out);
  sink.begin(*collection);
  store.features(*collection, query, sink);
  sink.end();
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.reported < b.reported; });
  return out;
}

PlanState live_state(store::Store& store, store::WorkPlanStore& plans, const WorkPlan& plan) {
  const auto frozen = plans.meetings(plan.id);
  return plan_state(plan, approved_reports(store, plan), frozen.empty() ? PlanState{} : frozen.back().state);
}

std::vector<ProgressReport> ProgressService::reports(const WorkPlan& plan) { return approved_reports(store_, plan); }

PlanState ProgressService::live_state(const WorkPlan& plan) { return workplan::live_state(store_, plans_, plan); }

MeetingReport ProgressService::freeze(const auth::Principal& who, const WorkPlan& plan, const std::string& meeting,
                                      const std::string& title, const std::string& held) {
  if (!auth::is_expert(who.role)) throw core::Forbidden("meeting reports are frozen by the ASEAN Secretariat");
  if (!valid_plan_id(meeting)) throw core::InvalidValue("meeting", "a meeting id is 1 to 64 letters, digits, . _ + -");
  if (title.size() > 200) throw core::InvalidValue("title", "'title' is longer than 200 characters");
  if (!held.empty() && (held.size() != 10 || held[4] != '-' || held[7] != '-'))
    throw core::InvalidValue("held", "'held' is a date YYYY-MM-DD");
  const auto frozen = plans_.meetings(plan.id);
  std::vector<ProgressReport> of_meeting;
  for (auto& r : reports(plan))
    if (r.meeting == meeting) of_meeting.push_back(std::move(r));
  MeetingReport report;
  report.plan = plan.id;
  report.meeting = meeting;
  report.title = title.empty() ? meeting : title;
  report.held = held;
  report.frozen_by = who.user;
  report.state = plan_state(plan, of_meeting, frozen.empty() ? PlanState{} : frozen.back().state);
  if (!plans_.freeze(report)) throw core::Conflict("meeting " + meeting + " of " + plan.id + " is frozen already");
  change_sets_.audit(who.user, "freeze meeting", plan.id + "/" + meeting, report.title);
  if (state_changed_) state_changed_();
  return *plans_.meeting(plan.id, meeting);
}

MeetingReport ProgressService::meeting(const WorkPlan& plan, const std::string& meeting) {
  auto m = valid_plan_id(meeting) ? plans_.meeting(plan.id, meeting) : std::nullopt;
  if (!m) throw core::NotFound("no frozen meeting '" + meeting.substr(0, 64) + "' of " + plan.id);
  return *m;
}

std::vector<ActivityChange> ProgressService::changes_since_last_meeting(const WorkPlan& plan,
                                                                        std::optional<MeetingReport>& last) {
  const auto frozen = plans_.meetings(plan.id);
  last.reset();
  if (!frozen.empty()) last = frozen.back();
  const PlanState before = last ? last->state : PlanState{};
  const PlanState now = live_state(plan);
  std::vector<ActivityChange> out;
  for (const auto& activity : plan.activities) {
    auto b = before.find(activity.id);
    auto a = now.find(activity.id);
    const ActivityState empty;
    const ActivityState& was = b == before.end() ? empty : b->second;
    const ActivityState& is = a == now.end() ? empty : a->second;
    ActivityChange change{activity.id, was.status, is.status, {}};
    if (was.status != is.status) change.what.push_back("status");
    if (was.indicators != is.indicators) change.what.push_back("indicators");
    const json rb = was.report ? to_json(*was.report) : json(nullptr);
    const json ra = is.report ? to_json(*is.report) : json(nullptr);
    for (const char* part : {"narrative", "events", "evidence"})
      if (rb.is_null() != ra.is_null() || (!rb.is_null() && rb[part] != ra[part])) change.what.push_back(part);
    if (rb != ra) change.what.push_back("report");
    if (!change.what.empty()) out.push_back(std::move(change));
  }
  return out;
}

EvidenceDocument ProgressService::upload(const auth::Principal& who, const WorkPlan& plan, const std::string& activity_id,
                                         std::string content, const std::string& title, const std::string& country) {
  const Activity* activity = plan.activity(activity_id);
  if (!activity) throw core::NotFound("no activity '" + activity_id.substr(0, 16) + "' in " + plan.id);
  if (content.empty()) throw core::InvalidValue("body", "the document is empty");
  if (content.size() > kMaxEvidenceBytes) throw core::InvalidValue("body", "an evidence document is at most 10 MiB");
  const auto media_type = sniff_evidence_type(content);
  if (media_type.empty())
    throw core::UnsupportedMediaType("an evidence document is a PDF, PNG or JPEG file (read from its content)");
  if (title.size() > 200) throw core::InvalidValue("title", "'title' is longer than 200 characters");
  if (!country.empty() && !auth::is_member_country(country))
    throw core::InvalidValue("country", "'country' is an ISO 3166-1 alpha-3 code of ASEAN or the Plus Three");
  // Who may upload is who may write the report it is for: the one check of editors' rights.
  edit::FeatureState report;
  report.properties = {{"work_plan", plan.id}, {"activity", activity->id},
                       {"iso3", country.empty() ? json(nullptr) : json(country)}};
  const auto collection = store_.collection(kProgressCollection);
  if (!collection) throw core::Conflict("the store has no progress collection: load a work plan first");
  policy_.check_write(who, *collection, nullptr, &report);
  if (!report.properties["iso3"].is_string())
    throw core::InvalidValue("country", "'country' names the member state the document is for");
  EvidenceDocument d;
  d.plan = plan.id;
  d.activity = activity->id;
  d.country = report.properties["iso3"].get<std::string>();
  d.title = title;
  d.media_type = media_type;
  d.uploaded_by = who.user;
  d.bytes = std::move(content);
  d.id = plans_.put_document(d);
  change_sets_.audit(who.user, "upload evidence", plan.id + "/" + activity->id,
                     "document " + std::to_string(d.id) + ", " + d.media_type + ", " + std::to_string(d.bytes.size()) +
                         " bytes");
  d.bytes.clear();
  return d;
}

EvidenceDocument ProgressService::document(const std::optional<auth::Principal>& who, const WorkPlan& plan,
                                           std::int64_t id) {
  auto d = plans_.document(plan.id, id);
  const auto missing = [&] { return core::NotFound("no evidence document " + std::to_string(id) + " of " + plan.id); };
  if (!d) throw missing();
  if (who && (auth::is_expert(who->role) || who->user == d->uploaded_by)) return *d;
  const std::string path = "/workplans/" + plan.id + "/evidence/" + std::to_string(id);
  for (const auto& r : approved_reports(store_, plan))
    for (const auto& e : r.evidence)
      if (e.href.size() >= path.size() && e.href.compare(e.href.size() - path.size(), path.size(), path) == 0) return *d;
  throw missing();  // not cited by an approved report yet: not public
}

LiveIndicators ProgressService::live_indicators() {
  LiveIndicators live;
  live.as_of = utc_now();
  live.since_90_days = utc_now(90);
  for (const auto& c : change_sets_.approved_by_country(live.since_90_days, kProgressCollection))
    if (is_asean(c.country)) live.updating.push_back(c.country);
  for (const auto& c : change_sets_.approved_by_country(utc_now(365), kProgressCollection))
    if (is_asean(c.country)) live.per_state.push_back(c);
  return live;
}

}  // namespace amis::workplan
