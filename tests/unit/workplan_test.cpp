// The work plan's domain (issue 19): the YAML reader, the Appendix CSV, the
// state of activities across meetings and the two accomplishment rules, with
// expected numbers worked out by hand in each test.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_support.hpp"
#include "workplan/accomplishment.hpp"
#include "workplan/appendix_csv.hpp"
#include "workplan/plan_yaml.hpp"
#include "workplan/progress.hpp"

namespace {

using amis::testing::read_text_file;

using namespace amis::workplan;

WorkPlan reference_plan() {
  return parse_work_plan(read_text_file(std::string(AMIS_SOURCE_DIR) + "/data/workplans/workplan-2022-2025.yaml"),
                         "workplan-2022-2025.yaml");
}

// Two areas: A with activities a1 (two outputs) and a2; B with b1.
WorkPlan small_plan() {
  WorkPlan p;
  p.id = "TEST";
  p.title = "Test plan";
  p.period_start = 2022;
  p.period_end = 2025;
  p.areas = {{"I", "A", "Area A"}, {"II", "B", "Area B"}};
  auto activity = [](const char* id, const char* area, std::vector<ExpectedOutput> outputs) {
    Activity a;
    a.id = id;
    a.area = area;
    a.text = std::string("activity ") + id;
    a.outputs = std::move(outputs);
    return a;
  };
  p.activities = {activity("1.1", "A", {{"o1"}, {"o2"}}), activity("1.2", "A", {{"o3"}}), activity("2.1", "B", {{"o4"}})};
  return p;
}

ProgressReport report(const std::string& activity, Status status, const std::string& reported,
                      std::vector<IndicatorValue> values = {}) {
  ProgressReport r;
  r.plan = "TEST";
  r.activity = activity;
  r.meeting = "M1";
  r.country = "IDN";
  r.status = status;
  r.reported = reported;
  r.indicators = std::move(values);
  return r;
}

TEST(WorkPlanYaml, ReadsTheReferencePlan) {
  const auto plan = reference_plan();
  EXPECT_EQ(plan.id, "ASOMM3-WP-2022-2025");
  EXPECT_EQ(plan.period_start, 2022);
  EXPECT_EQ(plan.period_end, 2025);
  EXPECT_EQ(plan.areas.size(), 4u);
  EXPECT_EQ(plan.activities.size(), 16u);
  EXPECT_EQ(plan.output_count(), 17u);
  ASSERT_NE(plan.activity("3.5"), nullptr);
  EXPECT_EQ(plan.activity("3.5")->outputs.size(), 2u);
  EXPECT_EQ(plan.activity("4.2")->area, "MID");
  EXPECT_TRUE(plan.activity("4.2")->lead.empty());  // no Appendix yet
}

TEST(WorkPlanYaml, RefusesWhatIsNotAPlan) {
  EXPECT_THROW(parse_work_plan("[unclosed", "x"), amis::core::ParsingFailed);
  EXPECT_THROW(parse_work_plan("just text", "x"), amis::core::InvalidValue);
  EXPECT_THROW(parse_work_plan("work_plan: {id: X, title: T, period: {start: 2022, end: 2020}, programme_areas: []}\n"
                               "activities: []",
                               "x"),
               amis::core::InvalidValue);
  const std::string unknown_area =
      "work_plan: {id: X, title: T, period: {start: 2022, end: 2025}, programme_areas: [{no: I, code: A, title: A}]}\n"
      "activities: [{id: '1.1', area: Z, activity: a, expected_output: o}]";
  EXPECT_THROW(parse_work_plan(unknown_area, "x"), amis::core::InvalidValue);
}

TEST(WorkPlanYaml, AliasBombsAreBounded) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    prev = c;
  }
  EXPECT_THROW(yaml_to_json(bomb), amis::core::ParsingFailed);
}

TEST(AppendixCsv, ReadsRfc4180) {
  const auto rows = read_csv("\xEF\xBB\xBF" "a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n\nlast,,z");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x,1", "say \"hi\"", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"last", "", "z"}));
  EXPECT_THROW(read_csv("a,\"open"), amis::core::ParsingFailed);
}

TEST(AppendixCsv, ImportsTheExample) {
  auto plan = reference_plan();
  import_appendix(plan, read_text_file(std::string(AMIS_TEST_DATA) + "/workplan/appendix-example.csv"));
  const auto* a = plan.activity("4.2");
  EXPECT_EQ(a->lead, "IDN");
  EXPECT_EQ(a->co_lead, "MYS");
  EXPECT_EQ(a->partners, (std::vector<std::string>{"THA", "VNM", "PHL"}));
  EXPECT_EQ(a->planned_end, "2025-12-31");
  ASSERT_EQ(a->indicators.size(), 2u);
  EXPECT_EQ(a->indicators[1].type, IndicatorType::Count);
  EXPECT_EQ(a->indicators[1].targets.at(2025), "10");
  EXPECT_EQ(plan.activity("3.5")->indicators[1].output, 2);
  EXPECT_TRUE(plan.activity("2.1")->lead.empty());
  EXPECT_EQ(plan.activity("1.1")->reporting_countries(), (std::vector<std::string>{"CHN", "VNM"}));
}

TEST(AppendixCsv, RefusesBadRowsAndChangesNothing) {
  auto plan = reference_plan();
  const std::string head = "activity,lead,country_coordinator,output,indicator,indicator_type,baseline,target_2023\n";
  EXPECT_THROW(import_appendix(plan, head + "9.9,IDN,,,,,,\n"), amis::core::InvalidValue);
  EXPECT_THROW(import_appendix(plan, head + "4.2,XXX,,,,,,\n"), amis::core::InvalidValue);
  EXPECT_THROW(import_appendix(plan, head + "4.2,IDN,,,n,count,-1,\n"), amis::core::InvalidValue);
  EXPECT_THROW(import_appendix(plan, head + "4.2,IDN,,,p,percentage,0,140\n"), amis::core::InvalidValue);
  EXPECT_THROW(import_appendix(plan, head + "4.2,IDN,,2,m,milestone,,\n"), amis::core::InvalidValue);  // one output
  EXPECT_THROW(import_appendix(plan, head + "4.2,IDN,,,,,,\n4.2,VNM,,,,,,\n"), amis::core::InvalidValue);
  EXPECT_THROW(import_appendix(plan, "activity,colour\n4.2,red\n"), amis::core::InvalidValue);
  EXPECT_TRUE(plan.activity("4.2")->lead.empty());
}

TEST(Accomplishment, TextNamesCountsAndPercent) {
  Rate r{"overall", "x", 9, 10, 90.0};
  EXPECT_EQ(r.text(), "9 of 10 (90%)");
  Rate third{"A", "x", 1, 3, 33.3};
  EXPECT_EQ(third.text(), "1 of 3 (33.3%)");
  Rate none{"A", "x", 0, 0, std::nullopt};
  EXPECT_EQ(none.text(), "0 of 0");
}

TEST(Accomplishment, ActionLinesCountCompletedActivities) {
  const auto plan = small_plan();
  const auto state = plan_state(plan, {report("1.1", Status::Completed, "2023-01-01T00:00:00Z"),
                                       report("1.2", Status::Ongoing, "2023-01-01T00:00:00Z"),
                                       report("2.1", Status::Completed, "2023-01-01T00:00:00Z")},
                                {});
  const auto a = accomplishment(plan, state, Rule::ActionLines);
  EXPECT_EQ(a.areas[0].text(), "1 of 2 (50%)");
  EXPECT_EQ(a.areas[1].text(), "1 of 1 (100%)");
  EXPECT_EQ(a.overall.text(), "2 of 3 (66.7%)");
}

TEST(Accomplishment, OutputsNeedAllTheirMilestones) {
  auto plan = small_plan();
  auto* a1 = plan.activity("1.1");
  a1->indicators = {{"m1", IndicatorType::Milestone, 1, "not met", {}},
                    {"m2", IndicatorType::Milestone, 1, "not met", {}},
                    {"m3", IndicatorType::Milestone, 2, "not met", {}},
                    {"n", IndicatorType::Count, 2, "0", {}}};
  // a1 is ongoing: output 1 has m1 met but not m2, output 2 has m3 met. a2 (no
  // milestone) is completed; 2.1 was never reported.
  auto state = plan_state(plan, {report("1.1", Status::Ongoing, "2023-01-01T00:00:00Z",
                                        {{"m1", "met"}, {"m2", "not met"}, {"m3", "Met"}, {"n", "4"}}),
                                 report("1.2", Status::Completed, "2023-01-01T00:00:00Z")},
                          {});
  auto a = accomplishment(plan, state, Rule::Outputs);
  EXPECT_EQ(a.areas[0].text(), "2 of 3 (66.7%)");
  EXPECT_EQ(a.areas[1].text(), "0 of 1 (0%)");
  EXPECT_EQ(a.overall.text(), "2 of 4 (50%)");
  // A later meeting reports m2 met: milestones carried from before stay met.
  const auto later = plan_state(plan, {report("1.1", Status::Completed, "2024-01-01T00:00:00Z", {{"m2", "yes"}})}, state);
  a = accomplishment(plan, later, Rule::Outputs);
  EXPECT_EQ(a.overall.text(), "3 of 4 (75%)");
  EXPECT_EQ(later.at("1.2").source, "carried");
  EXPECT_EQ(later.at("2.1").source, "none");
}

TEST(ProgressState, LatestReportWinsAndTheLeadOnATie) {
  auto plan = small_plan();
  plan.activity("1.1")->lead = "VNM";
  auto r1 = report("1.1", Status::Ongoing, "2023-05-01T00:00:00Z");
  auto r2 = report("1.1", Status::Delayed, "2023-06-01T00:00:00Z");
  auto state = plan_state(plan, {r2, r1}, {});
  EXPECT_EQ(state.at("1.1").status, Status::Delayed);
  auto lead = report("1.1", Status::Completed, "2023-06-01T00:00:00Z");
  lead.country = "VNM";
  state = plan_state(plan, {r2, lead}, {});
  EXPECT_EQ(state.at("1.1").status, Status::Completed);
}

TEST(ProgressState, SurvivesItsJsonForm) {
  const auto plan = small_plan();
  auto r = report("1.1", Status::Completed, "2023-01-01T00:00:00Z", {{"m", "met"}});
  r.events = {{"2023-03-01", "Jakarta", {"IDN", "VNM"}}};
  r.evidence = {{"minutes", "https://example.org/minutes.pdf"}};
  const auto state = plan_state(plan, {r}, {});
  const auto back = plan_state_from_json(to_json(state));
  EXPECT_EQ(to_json(back), to_json(state));
  EXPECT_EQ(back.at("1.1").report->events[0].countries[1], "VNM");
}

TEST(ProgressReport, ChecksValuesAgainstTheAppendix) {
  auto plan = small_plan();
  auto* a = plan.activity("1.1");
  a->indicators = {{"m", IndicatorType::Milestone, 1, "", {}}, {"n", IndicatorType::Count, 1, "", {}}};
  const auto ok = parse_report(nlohmann::json::parse(R"({"meeting":"ASOMM3-19","status":"ongoing",
      "indicators":[{"indicator":"m","value":"met"},{"indicator":"n","value":3}],
      "events":[{"date":"2023-02-01","place":"Hanoi","countries":["VNM","LAO"]}]})"),
                               plan, *a);
  EXPECT_EQ(ok.indicators[1].value, "3");
  auto refused = [&](const char* body) {
    EXPECT_THROW(parse_report(nlohmann::json::parse(body), plan, *a), amis::core::InvalidValue) << body;
  };
  refused(R"({"meeting":"M","status":"finished"})");
  refused(R"({"meeting":"bad meeting","status":"ongoing"})");
  refused(R"({"meeting":"M","status":"ongoing","indicators":[{"indicator":"x","value":"1"}]})");
  refused(R"({"meeting":"M","status":"ongoing","indicators":[{"indicator":"n","value":"many"}]})");
  refused(R"j({"meeting":"M","status":"ongoing","evidence":[{"href":"javascript:alert(1)"}]})j");
  refused(R"({"meeting":"M","status":"ongoing","events":[{"date":"yesterday"}]})");
  refused(R"({"meeting":"M","status":"ongoing","colour":"red"})");
}

}  // namespace
