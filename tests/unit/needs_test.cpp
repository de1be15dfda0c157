// The needs register (issue 18): the names of kinds, statuses and priorities; the
// bodies a client sends (need_input); the rules of EditingPolicy; the CSV line's
// formula-safe cells; and the two stores (GpkgNeeds, PgNeeds when AMIS_TEST_PG_URL
// names a cluster) through the same scenario, whose transcripts must be equal.
#include <gtest/gtest.h>

#include "api/needs/needs_documents.hpp"
#include "core/error.hpp"
#include "edit/editing_policy.hpp"
#include "needs/need_input.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_needs.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/postgis/pg_needs.hpp"
#include "store/postgis/postgis_store.hpp"
#include "test_support.hpp"

namespace {

using nlohmann::json;
namespace core = amis::core;
namespace needs = amis::needs;

TEST(Needs, NamesGoBothWays) {
  for (auto k : core::need_kinds()) EXPECT_EQ(core::parse_need_kind(core::to_string(k)), k);
  for (auto s : core::need_statuses()) EXPECT_EQ(core::parse_need_status(core::to_string(s)), s);
  EXPECT_EQ(core::to_string(core::NeedStatus::InProgress), std::string("in-progress"));
  EXPECT_FALSE(core::parse_need_kind("Dataset"));
  EXPECT_TRUE(core::is_closed(core::NeedStatus::Duplicate));
  EXPECT_FALSE(core::is_closed(core::NeedStatus::Planned));
}

TEST(Needs, TriageChangesAreOneLineEach) {
  core::Need before;
  core::NeedTriage t;
  t.status = core::NeedStatus::Planned;
  t.priority = core::NeedPriority::Normal;  // unchanged: no line
  t.assignee = "expert";
  t.resolution = "later";
  const auto lines = core::triage_changes(before, t);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "status: new \u2192 planned");
  EXPECT_EQ(lines[1], "assignee: (none) \u2192 expert");
  EXPECT_EQ(lines[2], "resolution changed");
  EXPECT_TRUE(core::triage_changes(core::apply(before, t), t).empty());
}

TEST(Needs, SubmissionsAreReadWithinTheirBounds) {
  auto s = needs::read_submission(json::parse(
      R"({"kind": "data-problem", "title": "  Wrong place  ", "collection": "mines", "featureId": "12"})"));
  EXPECT_EQ(s.kind, core::NeedKind::DataProblem);
  EXPECT_EQ(s.title, "Wrong place");
  EXPECT_EQ(s.feature, 12);
  for (const char* bad : {R"({"title": "abc"})", R"({"kind": "dataset", "title": "ab"})",
                          R"({"kind": "dataset", "title": "abc", "status": "done"})",
                          R"({"kind": "data-problem", "title": "abc", "collection": "mines"})",
                          R"({"kind": "dataset", "title": "abc", "featureId": 3})",
                          R"({"kind": "dataset", "title": "abc", "collection": "mines", "featureId": 1.5})"})
    EXPECT_THROW(needs::read_submission(json::parse(bad)), core::InvalidValue) << bad;
  EXPECT_THROW(needs::read_submission(json::array()), core::ParsingFailed);
  EXPECT_THROW(needs::read_submission(json{{"kind", "dataset"}, {"title", std::string(201, 'x')}}), core::InvalidValue);
  EXPECT_THROW(needs::read_triage(json::object()), core::InvalidValue);
  EXPECT_THROW(needs::read_triage(json{{"priority", "whenever"}}), core::InvalidValue);
  EXPECT_EQ(needs::read_triage(json{{"assignee", ""}}).assignee, "");
  EXPECT_THROW(needs::read_comment(json{{"text", " \n "}}), core::InvalidValue);
}

TEST(Needs, EditorsSubmitForTheirOwnMemberStateAndDoNotTriage) {
  const amis::edit::EditingPolicy policy(amis::edit::EditingRules{});
  const amis::auth::Principal editor{"idn", amis::auth::Role::Editor, "IDN"};
  const amis::auth::Principal reviewer{"expert", amis::auth::Role::Reviewer, ""};
  std::string country;
  policy.check_need_submit(editor, country);
  EXPECT_EQ(country, "IDN");
  country = "VNM";
  EXPECT_THROW(policy.check_need_submit(editor, country), core::Forbidden);
  country = "VNM";
  EXPECT_NO_THROW(policy.check_need_submit(reviewer, country));
  country = "FRA";
  EXPECT_THROW(policy.check_need_submit(reviewer, country), core::InvalidValue);
  EXPECT_THROW(policy.check_need_triage(editor, "triaging needs"), core::Forbidden);
  EXPECT_NO_THROW(policy.check_need_triage(reviewer, "triaging needs"));
  EXPECT_TRUE(policy.may_read_need(editor, "idn"));
  EXPECT_FALSE(policy.may_read_need(editor, "vnm"));
  EXPECT_TRUE(policy.may_read_need(reviewer, "vnm"));
}

TEST(Needs, CsvCellsNeverStartAFormula) {
  core::Need n;
  n.id = 7;
  n.title = "=HYPERLINK(\"x\")";
  n.description = "-12.5";
  n.resolution = "@SUM(A1)";
  n.submitter = "a,b";
  const auto row = amis::api::needs::need_csv_row(n);
  EXPECT_EQ(row, "7,dataset,new,normal,\"'=HYPERLINK(\"\"x\"\")\",-12.5,,,\"a,b\",,,'@SUM(A1),0,,\r\n");
}

// The same scenario on a store: returns what happened, as text.
std::string scenario(amis::store::NeedStore& s) {
  std::string out;
  core::Need a;
  a.kind = core::NeedKind::Dataset;
  a.title = "Nickel deposits";
  a.submitter = "idn";
  a.country = "IDN";
  const auto first = s.add_need(a);
  EXPECT_EQ(first.status, core::NeedStatus::New);
  EXPECT_EQ(first.created, first.updated);
  core::Need b = a;
  b.kind = core::NeedKind::DataProblem;
  b.title = "Wrong place";
  b.collection = "mines";
  b.feature = 3;
  b.submitter = "vnm";
  b.country = "VNM";
  const auto second = s.add_need(b);
  EXPECT_EQ(second.feature, 3);
  core::NeedTriage t;
  t.status = core::NeedStatus::Planned;
  t.assignee = "expert";
  const auto triaged = s.triage_need(first.id, t, "expert");
  EXPECT_TRUE(triaged && triaged->status == core::NeedStatus::Planned && triaged->assignee == "expert");
  EXPECT_FALSE(s.triage_need(999, t, "expert"));
  EXPECT_TRUE(s.add_need_comment(first.id, "admin", "Q3"));
  EXPECT_FALSE(s.add_need_comment(999, "admin", "Q3"));
  EXPECT_EQ(s.count_need_comments(first.id), 1);
  EXPECT_EQ(s.need(first.id)->comments, 1);
  for (const auto& n : s.need_notes(first.id)) out += n.author + "/" + n.text + ";";
  core::NeedFilter f;
  f.submitter = "vnm";
  EXPECT_EQ(s.count_needs(f), 1);
  f = {};
  f.limit = 1;
  const auto page = s.needs(f);
  EXPECT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].id, second.id);  // newest first
  f.before = second.id;
  EXPECT_EQ(s.needs(f)[0].id, first.id);
  for (const auto& c : s.need_counts())
    out += std::string(core::to_string(c.kind)) + "/" + core::to_string(c.status) + "/" + c.country + "=" +
           std::to_string(c.needs) + ";";
  return out;
}

TEST(NeedStores, GeoPackageAndPostgisGiveTheSameAnswers) {
  amis::testing::TempStorePath path{"needs-stores"};
  amis::store::gpkg::GpkgStore stored{path.str()};  // its schema holds amis_audit
  amis::store::gpkg::GpkgNeeds gpkg(path.str());
  const auto on_gpkg = scenario(gpkg);
  EXPECT_EQ(on_gpkg, "expert/status: new \u2192 planned;expert/assignee: (none) \u2192 expert;admin/Q3;"
                     "data-problem/new/VNM=1;dataset/planned/IDN=1;");
  const auto url = amis::testing::test_pg_url();
  if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: the GeoPackage side only";
  amis::testing::PgTestDatabase database(*url);
  amis::store::postgis::PostgisStore pg_stored(database.url(), 4, "/tmp");
  amis::store::postgis::PgNeeds pg(pg_stored.pool());
  EXPECT_EQ(scenario(pg), on_gpkg);
}

}  // namespace
