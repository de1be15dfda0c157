// The work-plan tables of both stores (issue 19): GpkgWorkPlans on a GeoPackage and
// PgWorkPlans on PostgreSQL (when AMIS_TEST_PG_URL names a cluster) through the same
// scenario; each checks its outcome and returns a transcript, and the two
// backends' transcripts must be equal. Also the approved change sets per country
// that activity 4.2's indicator counts.
#include <gtest/gtest.h>

#include "edit_support.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/gpkg/gpkg_workplans.hpp"
#include "store/postgis/pg_change_sets.hpp"
#include "store/postgis/pg_workplans.hpp"
#include "store/postgis/postgis_store.hpp"
#include "test_support.hpp"
#include "workplan/appendix_csv.hpp"
#include "workplan/plan_yaml.hpp"

namespace {

using amis::testing::read_text_file;

namespace store = amis::store;
namespace wp = amis::workplan;

// Everything of a plan, as text.
std::string describe(const wp::WorkPlan& p) {
  std::string out = p.id + "|" + p.title + "|" + std::to_string(p.period_start) + "-" + std::to_string(p.period_end) +
                    "|" + p.source + "\n";
  for (const auto& a : p.areas) out += a.no + " " + a.code + " " + a.title + "\n";
  for (const auto& a : p.activities) {
    out += a.id + " " + a.area + " " + a.text + " [" + a.partner_named + "] " + a.lead + "/" + a.co_lead + "/" +
           a.country_coordinator + " " + a.planned_start + ".." + a.planned_end + " partners:";
    for (const auto& c : a.partners) out += c + ",";
    for (const auto& o : a.outputs) out += "\n  output: " + o.text;
    for (const auto& i : a.indicators) {
      out += "\n  indicator: " + i.name + " " + wp::to_string(i.type) + " " + std::to_string(i.output) + " " + i.baseline;
      for (const auto& [y, v] : i.targets) out += " " + std::to_string(y) + "=" + v;
    }
    out += "\n";
  }
  return out;
}

struct Backend {
  virtual ~Backend() = default;
  virtual store::WorkPlanStore& plans() = 0;
  virtual store::ChangeSetStore& change_sets() = 0;
  amis::core::Collection mines = amis::testing::mines_collection();
};

struct GpkgBackend : Backend {
  amis::testing::TempStorePath path{"workplan-stores"};
  store::gpkg::GpkgStore stored{path.str()};
  std::unique_ptr<store::gpkg::GpkgWorkPlans> work_plans;
  std::unique_ptr<store::gpkg::GpkgChangeSets> sets;
  GpkgBackend() {
    amis::testing::write_mines(stored);
    mines = *stored.collection("mines");
    work_plans = std::make_unique<store::gpkg::GpkgWorkPlans>(path.str());
    sets = std::make_unique<store::gpkg::GpkgChangeSets>(path.str());
  }
  store::WorkPlanStore& plans() override { return *work_plans; }
  store::ChangeSetStore& change_sets() override { return *sets; }
};

struct PgBackend : Backend {
  amis::testing::PgTestDatabase database;
  store::postgis::PostgisStore stored;
  store::postgis::PgWorkPlans work_plans{stored.pool()};
  store::postgis::PgChangeSets sets{stored.pool()};
  explicit PgBackend(const std::string& url) : database(url), stored(database.url(), 4, "/tmp") {
    amis::testing::write_mines(stored);
    mines = *stored.collection("mines");
  }
  store::WorkPlanStore& plans() override { return work_plans; }
  store::ChangeSetStore& change_sets() override { return sets; }
};

std::string plans_round_trip(Backend& b) {
  auto plan = wp::parse_work_plan(read_text_file(std::string(AMIS_SOURCE_DIR) + "/data/workplans/workplan-2022-2025.yaml"),
                                  "workplan-2022-2025.yaml");
  b.plans().put_plan(plan);
  EXPECT_EQ(describe(*b.plans().plan(plan.id)), describe(plan));
  wp::import_appendix(plan, read_text_file(std::string(AMIS_TEST_DATA) + "/workplan/appendix-example.csv"));
  b.plans().put_plan(plan);  // replaced, not added
  const auto back = *b.plans().plan(plan.id);
  EXPECT_EQ(describe(back), describe(plan));
  auto later = plan;
  later.id = "ASOMM3-WP-2026-2030";
  later.period_start = 2026;
  later.period_end = 2030;
  b.plans().put_plan(later);
  std::string out;
  for (const auto& s : b.plans().plans()) out += s.id + " " + std::to_string(s.period_start) + ";";
  EXPECT_EQ(out, "ASOMM3-WP-2022-2025 2022;ASOMM3-WP-2026-2030 2026;");
  EXPECT_FALSE(b.plans().plan("nothing"));
  return out + describe(back);
}

std::string meetings_freeze_once(Backend& b) {
  wp::MeetingReport m;
  m.plan = "P";
  m.meeting = "ASOMM3-19";
  m.title = "19th ASOMM+3";
  m.held = "2023-08-22";
  m.frozen_by = "secretariat";
  wp::ActivityState s;
  s.status = wp::Status::Completed;
  s.source = "reported";
  s.indicators["m"] = "met";
  m.state["4.2"] = s;
  EXPECT_TRUE(b.plans().freeze(m));
  auto again = m;
  again.state["4.2"].status = wp::Status::Delayed;
  EXPECT_FALSE(b.plans().freeze(again));  // frozen: the first report stays
  auto m2 = m;
  m2.meeting = "ASOMM3-20";
  EXPECT_TRUE(b.plans().freeze(m2));
  const auto stored = *b.plans().meeting("P", "ASOMM3-19");
  EXPECT_EQ(stored.state.at("4.2").status, wp::Status::Completed);
  EXPECT_EQ(wp::to_json(stored.state), wp::to_json(m.state));
  EXPECT_FALSE(stored.frozen.empty());
  std::string out;
  for (const auto& x : b.plans().meetings("P")) out += x.meeting + " " + x.title + " " + x.held + " " + x.frozen_by + ";";
  EXPECT_EQ(out, "ASOMM3-19 19th ASOMM+3 2023-08-22 secretariat;ASOMM3-20 19th ASOMM+3 2023-08-22 secretariat;");
  EXPECT_TRUE(b.plans().meetings("Q").empty());
  return out;
}

std::string approvals_per_country(Backend& b) {
  auto& sets = b.change_sets();
  using amis::edit::Operation;
  auto make = [&](const std::string& country, bool approve) {
    auto cs = amis::testing::submitted("editor-" + country);
    cs.country = country;
    const auto created = sets.create(cs, {amis::testing::change(Operation::Insert, std::nullopt, "",
                                                                amis::testing::state("POINT (100 13)", "x", country))});
    if (approve) {
      EXPECT_TRUE(sets.approve(b.mines, created.id, "reviewer", "").empty());
    }
  };
  make("IDN", true);
  make("IDN", true);
  make("VNM", true);
  make("THA", false);  // submitted only
  std::string out;
  for (const auto& c : sets.approved_by_country("2000-01-01T00:00:00Z", "workplan_progress"))
    out += c.country + " " + std::to_string(c.approved) + ";";
  EXPECT_EQ(out, "IDN 2;VNM 1;");
  EXPECT_TRUE(sets.approved_by_country("2999-01-01T00:00:00Z", "workplan_progress").empty());
  EXPECT_TRUE(sets.approved_by_country("2000-01-01T00:00:00Z", "mines").empty());
  return out;
}

// Evidence documents listed by upload time without their bytes, and removed one by one.
std::string documents_listed_and_removed(Backend& b) {
  wp::EvidenceDocument d;
  d.plan = "P";
  d.activity = "4.2";
  d.country = "IDN";
  d.title = "minutes";
  d.media_type = "application/pdf";
  d.uploaded_by = "idn-editor";
  d.bytes = "%PDF-1.4 test";
  const auto first = b.plans().put_document(d);
  d.title = "photo";
  const auto second = b.plans().put_document(d);
  EXPECT_TRUE(b.plans().documents_uploaded_before("2000-01-01T00:00:00.000Z", 10).empty());
  auto listed = b.plans().documents_uploaded_before("2999-01-01T00:00:00.000Z", 10);
  std::string out;
  for (const auto& x : listed) out += x.title + " " + x.country + " " + std::to_string(x.bytes.size()) + ";";
  EXPECT_EQ(out, "minutes IDN 0;photo IDN 0;");
  EXPECT_EQ(b.plans().documents_uploaded_before("2999-01-01T00:00:00.000Z", 1).size(), 1u);
  EXPECT_TRUE(b.plans().delete_document(first));
  EXPECT_FALSE(b.plans().delete_document(first));
  EXPECT_FALSE(b.plans().document("P", first));
  EXPECT_EQ(b.plans().document("P", second)->bytes, d.bytes);
  EXPECT_EQ(b.plans().documents_uploaded_before("2999-01-01T00:00:00.000Z", 10).size(), 1u);
  return out;
}

TEST(WorkPlanStores, GeoPackageAndPostgisGiveTheSameAnswers) {
  const auto url = amis::testing::test_pg_url();
  for (auto scenario : {plans_round_trip, meetings_freeze_once, approvals_per_country, documents_listed_and_removed}) {
    std::string gpkg, pg;
    {
      GpkgBackend b;
      gpkg = scenario(b);
    }
    if (!url) continue;
    {
      PgBackend b(*url);
      pg = scenario(b);
    }
    EXPECT_EQ(gpkg, pg);
  }
  if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set: the GeoPackage side only";
}

}  // namespace
