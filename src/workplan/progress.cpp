#include "workplan/progress.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

#include "auth/account.hpp"
#include "core/error.hpp"

namespace amis::workplan {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNarrative = 20000;
constexpr std::size_t kMaxItems = 100;
constexpr std::size_t kMaxText = 2000;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string text(const json& object, const char* name, const std::string& where, bool required,
                 std::size_t max = kMaxText) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) throw core::InvalidValue(name, where + "'" + name + "' is required");
    return {};
  }
  if (!it->is_string()) throw core::InvalidValue(name, where + "'" + name + "' must be a string");
  auto value = it->get<std::string>();
  if (value.size() > max) throw core::InvalidValue(name, where + "'" + name + "' is too long");
  return value;
}

const json& list(const json& body, const char* name) {
  static const json empty = json::array();
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return empty;
  if (!it->is_array()) throw core::InvalidValue(name, std::string("'") + name + "' must be an array");
  if (it->size() > kMaxItems) throw core::InvalidValue(name, std::string("'") + name + "' has more than 100 items");
  return *it;
}

void check_date(const std::string& value, const char* name) {
  static const std::regex date(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  if (!std::regex_match(value, date)) throw core::InvalidValue(name, std::string("'") + name + "' is a date YYYY-MM-DD");
}

void check_indicator_value(const Indicator& indicator, const std::string& value) {
  const std::string where = "indicator '" + indicator.name.substr(0, 40) + "': ";
  if (indicator.type == IndicatorType::Count) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size() || n < 0)
      throw core::InvalidValue("indicators", where + "a count is a whole number, 0 or more");
  } else if (indicator.type == IndicatorType::Percentage) {
    double x = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
    if (ec != std::errc() || p != value.data() + value.size() || x < 0 || x > 100)
      throw core::InvalidValue("indicators", where + "a percentage is a number from 0 to 100");
  } else if (indicator.type == IndicatorType::Milestone) {
    static const char* const known[] = {"met", "not met", "yes", "no", "done", "achieved", "true", "false"};
    const auto v = lower(value);
    if (std::find(std::begin(known), std::end(known), v) == std::end(known))
      throw core::InvalidValue("indicators", where + "a milestone is 'met' or 'not met'");
  }
}

json json_text(const std::string& text) {
  if (text.empty()) return json::array();
  auto doc = json::parse(text, nullptr, false);
  return doc.is_discarded() ? json::array() : doc;
}

json events_json(const std::vector<Event>& events) {
  json out = json::array();
  for (const auto& e : events) out.push_back({{"date", e.date}, {"place", e.place}, {"countries", e.countries}});
  return out;
}

json indicators_json(const std::vector<IndicatorValue>& values) {
  json out = json::array();
  for (const auto& v : values) out.push_back({{"indicator", v.indicator}, {"value", v.value}});
  return out;
}

json evidence_json(const std::vector<Evidence>& evidence) {
  json out = json::array();
  for (const auto& e : evidence) out.push_back({{"title", e.title}, {"href", e.href}});
  return out;
}

std::string string_of(const json& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void read_lists(ProgressReport& r, const json& events, const json& indicators, const json& evidence) {
  for (const auto& e : events) {
    if (!e.is_object()) continue;
    Event event{string_of(e, "date"), string_of(e, "place"), {}};
    if (auto it = e.find("countries"); it != e.end() && it->is_array())
      for (const auto& c : *it)
        if (c.is_string()) event.countries.push_back(c.get<std::string>());
    r.events.push_back(std::move(event));
  }
  for (const auto& v : indicators)
    if (v.is_object()) r.indicators.push_back({string_of(v, "indicator"), string_of(v, "value")});
  for (const auto& e : evidence)
    if (e.is_object()) r.evidence.push_back({string_of(e, "title"), string_of(e, "href")});
}

// A report's scalar fields from the collection's properties or from its JSON form,
// which name the plan and the country differently.
ProgressReport scalar_fields(const json& o, const char* plan_key, const char* country_key) {
  ProgressReport r;
  r.plan = string_of(o, plan_key);
  r.activity = string_of(o, "activity");
  r.meeting = string_of(o, "meeting");
  r.country = string_of(o, country_key);
  r.reported = string_of(o, "reported");
  r.status = parse_status(string_of(o, "status")).value_or(Status::NotStarted);
  r.narrative = string_of(o, "narrative");
  return r;
}

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::NotStarted: return "not_started";
    case Status::Ongoing: return "ongoing";
    case Status::Completed: return "completed";
    case Status::Delayed: return "delayed";
    case Status::Discontinued: return "discontinued";
  }
  return "not_started";
}

std::optional<Status> parse_status(std::string_view text) {
  for (auto s : {Status::NotStarted, Status::Ongoing, Status::Completed, Status::Delayed, Status::Discontinued})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

bool milestone_met(std::string_view value) {
  const auto v = lower(value);
  return v == "met" || v == "yes" || v == "done" || v == "achieved" || v == "true";
}

core::Collection progress_collection() {
  core::Collection c;
  c.id = kProgressCollection;
  c.title = "Work-plan progress reports";
  c.description = "Progress of the ASOMM+3 work plans' activities per reporting period (ASOMM+3 meeting), "
                  "as reported by lead countries and country coordinators and approved by the ASEAN Secretariat.";
  c.keywords = {"ASOMM+3", "work plan", "progress"};
  c.geometry_type = "GEOMETRY";
  using core::PropertyType;
  for (const char* name : {"work_plan", "activity", "meeting", "iso3", "reported", "status", "narrative", "events",
                           "indicators", "evidence"})
    c.properties.push_back({name, PropertyType::Text});
  return c;
}

json to_properties(const ProgressReport& r) {
  return {{"work_plan", r.plan},
          {"activity", r.activity},
          {"meeting", r.meeting},
          {"iso3", r.country},
          {"reported", r.reported},
          {"status", to_string(r.status)},
          {"narrative", r.narrative},
          {"events", events_json(r.events).dump()},
          {"indicators", indicators_json(r.indicators).dump()},
          {"evidence", evidence_json(r.evidence).dump()}};
}

ProgressReport from_properties(std::int64_t fid, const json& p) {
  ProgressReport r = scalar_fields(p, "work_plan", "iso3");
  r.fid = fid;
  read_lists(r, json_text(string_of(p, "events")), json_text(string_of(p, "indicators")),
             json_text(string_of(p, "evidence")));
  return r;
}

json to_json(const ProgressReport& r) {
  json doc = {{"workPlan", r.plan},      {"activity", r.activity},         {"meeting", r.meeting},
              {"country", r.country},    {"reported", r.reported},         {"status", to_string(r.status)},
              {"narrative", r.narrative}, {"events", events_json(r.events)}, {"indicators", indicators_json(r.indicators)},
              {"evidence", evidence_json(r.evidence)}};
  if (r.fid) doc["id"] = r.fid;
  return doc;
}

ProgressReport parse_report(const json& body, const WorkPlan& plan, const Activity& activity) {
  if (!body.is_object()) throw core::InvalidValue("body", "a progress report is a JSON object");
  for (const auto& [name, value] : body.items())
    if (name != "meeting" && name != "status" && name != "narrative" && name != "events" && name != "indicators" &&
        name != "evidence" && name != "country")
      throw core::InvalidValue(name.substr(0, 40), "unknown member '" + name.substr(0, 40) + "'");
  ProgressReport r;
  r.plan = plan.id;
  r.activity = activity.id;
  r.meeting = text(body, "meeting", "", true, 64);
  if (!valid_plan_id(r.meeting)) throw core::InvalidValue("meeting", "a meeting id is 1 to 64 letters, digits, . _ + -");
  const auto status = parse_status(text(body, "status", "", true));
  if (!status)
    throw core::InvalidValue("status", "'status' is one of not_started, ongoing, completed, delayed, discontinued");
  r.status = *status;
  r.narrative = text(body, "narrative", "", false, kMaxNarrative);
  r.country = text(body, "country", "", false, 3);
  if (!r.country.empty() && !auth::is_member_country(r.country))
    throw core::InvalidValue("country", "'country' is an ISO 3166-1 alpha-3 code of ASEAN or the Plus Three");
  for (const auto& e : list(body, "events")) {
    if (!e.is_object()) throw core::InvalidValue("events", "an event is an object {date, place, countries}");
    Event event{text(e, "date", "event: ", true), text(e, "place", "event: ", false), {}};
    check_date(event.date, "date");
    for (const auto& c : list(e, "countries")) {
      if (!c.is_string() || !auth::is_member_country(c.get<std::string>()))
        throw core::InvalidValue("countries", "an event's countries are ISO 3166-1 alpha-3 codes of ASEAN or the Plus Three");
      event.countries.push_back(c.get<std::string>());
    }
    r.events.push_back(std::move(event));
  }
  for (const auto& v : list(body, "indicators")) {
    if (!v.is_object()) throw core::InvalidValue("indicators", "an indicator value is an object {indicator, value}");
    IndicatorValue value{text(v, "indicator", "indicator value: ", true), {}};
    auto it = v.find("value");
    if (it == v.end() || !(it->is_string() || it->is_number() || it->is_boolean()))
      throw core::InvalidValue("indicators", "an indicator value needs a 'value'");
    value.value = it->is_string() ? it->get<std::string>() : it->dump();
    if (value.value.size() > kMaxText) throw core::InvalidValue("indicators", "an indicator value is too long");
    const Indicator* known = nullptr;
    for (const auto& i : activity.indicators)
      if (i.name == value.indicator) known = &i;
    if (!known)
      throw core::InvalidValue("indicators", "activity " + activity.id + " has no indicator '" +
                                                 value.indicator.substr(0, 60) + "' (import the Appendix first)");
    check_indicator_value(*known, value.value);
    r.indicators.push_back(std::move(value));
  }
  for (const auto& e : list(body, "evidence")) {
    if (!e.is_object()) throw core::InvalidValue("evidence", "evidence is an object {title, href}");
    Evidence evidence{text(e, "title", "evidence: ", false), text(e, "href", "evidence: ", true)};
    if (!evidence.href.starts_with("https://") && !evidence.href.starts_with("http://"))
      throw core::InvalidValue("href", "evidence is an http(s) link");
    r.evidence.push_back(std::move(evidence));
  }
  return r;
}

PlanState plan_state(const WorkPlan& plan, const std::vector<ProgressReport>& reports, const PlanState& previous) {
  PlanState state;
  for (const auto& activity : plan.activities) {
    const ProgressReport* chosen = nullptr;
    for (const auto& r : reports) {
      if (r.plan != plan.id || r.activity != activity.id) continue;
      // On a tie the later in the list wins, unless the one chosen is the lead's.
      const bool later = !chosen || r.reported > chosen->reported ||
                         (r.reported == chosen->reported &&
                          !(chosen->country == activity.lead && r.country != activity.lead));
      if (later) chosen = &r;
    }
    ActivityState s;
    auto before = previous.find(activity.id);
    if (before != previous.end()) s.indicators = before->second.indicators;
    if (chosen) {
      s.status = chosen->status;
      s.source = "reported";
      s.report = *chosen;
      for (const auto& v : chosen->indicators) s.indicators[v.indicator] = v.value;
    } else if (before != previous.end() && before->second.status) {
      s.status = before->second.status;
      s.source = "carried";
      s.report = before->second.report;
    } else {
      s.source = "none";
    }
    state[activity.id] = std::move(s);
  }
  return state;
}

json to_json(const PlanState& state) {
  json out = json::object();
  for (const auto& [id, s] : state) {
    json a = {{"status", s.status ? json(to_string(*s.status)) : json(nullptr)},
              {"source", s.source},
              {"indicators", s.indicators}};
    a["report"] = s.report ? to_json(*s.report) : json(nullptr);
    out[id] = std::move(a);
  }
  return out;
}

PlanState plan_state_from_json(const json& doc) {
  PlanState state;
  if (!doc.is_object()) return state;
  for (const auto& [id, a] : doc.items()) {
    ActivityState s;
    if (a.contains("status") && a["status"].is_string()) s.status = parse_status(a["status"].get<std::string>());
    s.source = string_of(a, "source");
    if (auto it = a.find("indicators"); it != a.end() && it->is_object())
      for (const auto& [name, value] : it->items())
        if (value.is_string()) s.indicators[name] = value.get<std::string>();
    if (auto it = a.find("report"); it != a.end() && it->is_object()) {
      const auto& r = *it;
      ProgressReport report = scalar_fields(r, "workPlan", "country");
      report.fid = r.value("id", std::int64_t{0});
      read_lists(report, r.value("events", json::array()), r.value("indicators", json::array()),
                 r.value("evidence", json::array()));
      s.report = std::move(report);
    }
    state[id] = std::move(s);
  }
  return state;
}

}  // namespace amis::workplan
