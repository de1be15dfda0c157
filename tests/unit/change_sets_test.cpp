// Change sets in the GeoPackage store, the feature input checks and the editing
// policy. The store's effects are read back with plain SQLite.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "edit/change_service.hpp"
#include "edit/editing_policy.hpp"
#include "edit/feature_input.hpp"
#include "store/gpkg/gpkg_change_sets.hpp"
#include "edit_support.hpp"
#include "test_support.hpp"

namespace {

using amis::edit::ChangeSetState;
using amis::edit::Operation;
using amis::testing::sqlite_text;
using nlohmann::json;

using amis::testing::change;
using amis::testing::state;
using amis::testing::submitted;

struct ChangeSetStore : ::testing::Test {
  amis::testing::TempStorePath path{"change-sets"};
  amis::store::gpkg::GpkgStore store{path.str()};
  amis::core::Collection mines;
  std::unique_ptr<amis::store::gpkg::GpkgChangeSets> change_sets;

  void SetUp() override {
    amis::testing::write_mines(store);
    mines = *store.collection("mines");
    change_sets = std::make_unique<amis::store::gpkg::GpkgChangeSets>(path.str());
  }
  std::string base_of(std::int64_t fid) { return amis::edit::digest(*change_sets->current(mines, fid)); }
  std::string dump() {
    return sqlite_text(path.str(), "SELECT fid || ' ' || name || ' ' || iso3 || ' ' || hex(geom) FROM mines ORDER BY fid") +
           sqlite_text(path.str(), "SELECT feature_count || ' ' || updated FROM amis_collections");
  }
};

TEST_F(ChangeSetStore, ApprovalAppliesEveryChangeAndKeepsEveryVersion) {
  const auto cs = change_sets->create(
      submitted("editor"), {change(Operation::Insert, std::nullopt, "", state("POINT (100 13)", "New", "THA")),
                            change(Operation::Replace, 1, base_of(1), state("POINT (104.5 14.5)", "Han Seng 2", "KHM")),
                            change(Operation::Delete, 2, base_of(2))});
  EXPECT_EQ(cs.change_count, 3);
  const std::string before = sqlite_text(path.str(), "SELECT updated FROM amis_collections");
  EXPECT_TRUE(change_sets->approve(mines, cs.id, "reviewer", "fine").empty());

  EXPECT_EQ(sqlite_text(path.str(), "SELECT fid || ' ' || name FROM mines ORDER BY fid"),
            "1 Han Seng 2;3 Bailongshan;4 New;");
  EXPECT_EQ(sqlite_text(path.str(), "SELECT feature_count FROM amis_collections"), "3;");
  EXPECT_NE(sqlite_text(path.str(), "SELECT updated FROM amis_collections"), before);
  EXPECT_EQ(sqlite_text(path.str(), "SELECT count(*) FROM rtree_mines_geom"), "3;");
  EXPECT_EQ(sqlite_text(path.str(), "SELECT minx || ' ' || maxy FROM rtree_mines_geom WHERE id = 4"), "100.0 13.0;");
  // The extent is the box of the features left (1, 3 and the new 4): the R-tree's
  // float32 bounds may widen it by a float32 step, never narrow it.
  const double extent[4] = {100, 13, 104.7, 25.2};
  const char* const sides[4] = {"min_x", "min_y", "max_x", "max_y"};
  for (int i = 0; i < 4; ++i) {
    const auto text = sqlite_text(path.str(), (std::string("SELECT ") + sides[i] +
                                               " FROM gpkg_contents WHERE table_name = 'mines'").c_str());
    const double got = std::stod(text);
    EXPECT_NEAR(got, extent[i], 1e-4) << sides[i];  // a few float32 steps at 100
    if (i < 2) EXPECT_LE(got, extent[i]) << sides[i] << " cuts a feature off";
    else EXPECT_GE(got, extent[i]) << sides[i] << " cuts a feature off";
  }
  EXPECT_EQ(sqlite_text(path.str(), "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'mines'"), "3;");
  EXPECT_EQ(sqlite_text(path.str(), "SELECT state || ' ' || reviewer || ' ' || comment FROM amis_change_sets"),
            "approved reviewer fine;");
  EXPECT_EQ(sqlite_text(path.str(),
                        "SELECT fid || ':' || version || ':' || operation || ':' || coalesce(change_set, '-') "
                        "FROM amis_feature_versions ORDER BY fid, version"),
            "1:0:import:-;1:1:replace:1;2:0:import:-;2:1:delete:1;4:1:insert:1;");

  const auto history = change_sets->history(mines, 1);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].state->properties["name"], "Han Seng");
  EXPECT_EQ(history[1].state->properties["name"], "Han Seng 2");
  EXPECT_EQ(history[1].author, "editor");
  EXPECT_FALSE(history[1].time.empty());
  const auto deleted = change_sets->history(mines, 2);
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_FALSE(deleted[1].state);
  // An untouched feature's history is its imported state.
  const auto untouched = change_sets->history(mines, 3);
  ASSERT_EQ(untouched.size(), 1u);
  EXPECT_EQ(untouched[0].operation, "import");
  EXPECT_EQ(change_sets->changes(cs.id)[0].fid, 4);
}

TEST_F(ChangeSetStore, ReadsTheCollectionAsItWasPublished) {
  const auto cs = change_sets->create(
      submitted("editor"), {change(Operation::Insert, std::nullopt, "", state("POINT (100 13)", "New", "THA")),
                            change(Operation::Replace, 1, base_of(1), state("POINT (104.5 14.5)", "Han Seng 2", "KHM")),
                            change(Operation::Delete, 2, base_of(2))});
  ASSERT_TRUE(change_sets->approve(mines, cs.id, "reviewer", "").empty());
  const std::string approved = sqlite_text(path.str(), "SELECT valid_from FROM amis_feature_versions WHERE version = 1 LIMIT 1");
  auto read = [&](const std::string& instant, std::int64_t limit = 100, std::int64_t offset = 0) {
    amis::testing::RecordingSink sink;
    change_sets->features_as_of(mines, instant, limit, offset, sink);
    std::string out;
    for (std::size_t i = 0; i < sink.ids.size(); ++i) out += std::to_string(sink.ids[i]) + " " + sink.names[i] + ";";
    return out;
  };
  const std::string before = "2000-01-01T00:00:00.000Z", after = approved.substr(0, approved.size() - 1);
  EXPECT_EQ(read(before), "1 Han Seng;2 Kaltim Prima;3 Bailongshan;");
  EXPECT_EQ(read(after), "1 Han Seng 2;3 Bailongshan;4 New;");
  EXPECT_EQ(read(before, 1, 1), "2 Kaltim Prima;");
  // The same as the published rows, read independently.
  EXPECT_EQ(read("9999-12-31T00:00:00.000Z"),
            sqlite_text(path.str(), "SELECT fid || ' ' || name FROM mines ORDER BY fid"));
}

TEST_F(ChangeSetStore, AConflictAppliesNothing) {
  const auto first = change_sets->create(
      submitted("a"), {change(Operation::Replace, 1, base_of(1), state("POINT (104 14)", "A", "KHM"))});
  const auto second = change_sets->create(
      submitted("b"), {change(Operation::Insert, std::nullopt, "", state("POINT (100 13)", "New", "THA")),
                       change(Operation::Replace, 1, base_of(1), state("POINT (105 15)", "B", "KHM"))});
  EXPECT_TRUE(change_sets->approve(mines, first.id, "r", "").empty());
  const std::string before = dump();
  const auto conflicts = change_sets->approve(mines, second.id, "r", "");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].fid, 1);
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(change_sets->change_set(second.id)->state, ChangeSetState::Submitted);
  EXPECT_THROW(change_sets->approve(mines, first.id, "r", ""), amis::core::Conflict);  // already approved
}

TEST_F(ChangeSetStore, ASecondChangeToAFeatureReplacesTheFirst) {
  auto draft = submitted("a");
  draft.state = ChangeSetState::Draft;
  const auto cs = change_sets->create(draft, {});
  const auto base = base_of(1);
  change_sets->add_changes(cs.id, {change(Operation::Replace, 1, base, state("POINT (104 14)", "A", "KHM"))});
  change_sets->add_changes(cs.id, {change(Operation::Replace, 1, base, state("POINT (104 14)", "B", "KHM"))});
  const auto changes = change_sets->changes(cs.id);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].after.properties["name"], "B");
  EXPECT_TRUE(change_sets->transition(cs.id, ChangeSetState::Draft, ChangeSetState::Submitted, "", ""));
  EXPECT_FALSE(change_sets->transition(cs.id, ChangeSetState::Draft, ChangeSetState::Submitted, "", ""));
}

TEST_F(ChangeSetStore, TheAuditLogIsAppendOnly) {
  change_sets->audit("alice", "approve", "change set 1", "ok");
  change_sets->audit("bob", "reject", "change set 2", "no");
  const auto log = change_sets->audit_log(10, std::nullopt);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].actor, "bob");  // newest first
  sqlite3* db = nullptr;
  sqlite3_open(path.str().c_str(), &db);
  EXPECT_NE(sqlite3_exec(db, "UPDATE amis_audit SET actor = 'mallory'", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM amis_audit", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(sqlite_text(path.str(), "SELECT actor FROM amis_audit ORDER BY id"), "alice;bob;");
}

TEST_F(ChangeSetStore, ReimportingACollectionStartsANewHistory) {
  const auto cs = change_sets->create(
      submitted("a"), {change(Operation::Replace, 1, base_of(1), state("POINT (104 14)", "A", "KHM"))});
  ASSERT_TRUE(change_sets->approve(mines, cs.id, "r", "").empty());
  amis::testing::write_mines(store);
  EXPECT_EQ(sqlite_text(path.str(), "SELECT count(*) FROM amis_feature_versions"), "0;");
}

amis::core::Collection boundaries_collection() {
  amis::core::Collection c = amis::testing::mines_collection();
  c.geometry_type = "MULTIPOLYGON";
  return c;
}

TEST(FeatureInput, ReadsAGeoJsonFeatureIntoTheCollectionsTypes) {
  const auto mines = amis::testing::mines_collection();
  const auto f = amis::edit::read_feature(
      mines, R"({"type":"Feature","geometry":{"type":"Point","coordinates":[100.5,13.7,12]},
                 "properties":{"name":"X","capacity":3,"opened":"2020-01-02T03:04:05+07:00"}})");
  EXPECT_EQ(f.properties, (json{{"name", "X"}, {"iso3", nullptr}, {"capacity", 3.0},
                                {"opened", "2020-01-01T20:04:05.000Z"}}));
  EXPECT_EQ(f.wkb, amis::testing::wkb_from_wkt("POINT (100.5 13.7)"));  // 2D, as stored
  EXPECT_TRUE(f.properties["capacity"].is_number_float());

  const auto multi = amis::edit::read_feature(
      boundaries_collection(),
      R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[100,13],[101,13],[101,14],[100,13]]]},"properties":null})");
  EXPECT_EQ(multi.wkb, amis::testing::wkb_from_wkt("MULTIPOLYGON (((100 13,101 13,101 14,100 13)))"));
}

TEST(FeatureInput, RefusesWhatTheCollectionDoesNotHold) {
  const auto mines = amis::testing::mines_collection();
  auto refused = [&](const char* body) {
    try {
      amis::edit::read_feature(mines, body);
    } catch (const amis::core::OgcError& e) {
      EXPECT_EQ(e.status(), 400) << body;
      return e.code();
    }
    ADD_FAILURE() << "accepted: " << body;
    return std::string();
  };
  EXPECT_EQ(refused("not json"), "OperationParsingFailed");
  EXPECT_EQ(refused(R"({"type":"FeatureCollection","features":[]})"), "OperationParsingFailed");
  EXPECT_EQ(refused(R"({"type":"Feature","properties":{}})"), "OperationParsingFailed");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":null,"properties":{"owner":"x"}})"), "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":null,"properties":{"capacity":"big"}})"), "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":null,"properties":{"name":7}})"), "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":null,"properties":{"opened":"yesterday"}})"), "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}})"),
            "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[500000,1500000]},"properties":{}})"),
            "InvalidValue");
  EXPECT_EQ(refused(R"({"type":"Feature","geometry":{"type":"Point"},"properties":{}})"), "InvalidValue");
  EXPECT_THROW(amis::edit::read_feature(
                   boundaries_collection(),
                   R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]},"properties":{}})"),
               amis::core::InvalidValue);  // a bow tie
}

TEST(FeatureInput, AMergePatchChangesOnlyWhatItNames) {
  const auto mines = amis::testing::mines_collection();
  amis::edit::FeatureState current = state("POINT (104 14)", "Han Seng", "KHM");
  const auto patched = amis::edit::merge_patch(mines, current, R"({"properties":{"name":"H","capacity":null}})");
  EXPECT_EQ(patched.properties["name"], "H");
  EXPECT_TRUE(patched.properties["capacity"].is_null());
  EXPECT_EQ(patched.properties["iso3"], "KHM");
  EXPECT_EQ(patched.wkb, current.wkb);
  EXPECT_THROW(amis::edit::merge_patch(mines, current, R"({"owner":"x"})"), amis::core::InvalidValue);
}

TEST(EditingPolicy, EditorsWriteTheirOwnCountryOnly) {
  const amis::edit::EditingPolicy policy{amis::edit::EditingRules{}};
  const auto mines = amis::testing::mines_collection();
  const amis::auth::Principal editor{"somchai", amis::auth::Role::Editor, "THA"};
  const amis::auth::Principal reviewer{"expert", amis::auth::Role::Reviewer, ""};
  auto tha = state("POINT (100 13)", "A", "THA");
  auto khm = state("POINT (104 14)", "B", "KHM");
  EXPECT_NO_THROW(policy.check_write(editor, mines, &tha, &tha));
  EXPECT_THROW(policy.check_write(editor, mines, &khm, &khm), amis::core::Forbidden);
  EXPECT_THROW(policy.check_write(editor, mines, &tha, &khm), amis::core::Forbidden);  // a move
  EXPECT_THROW(policy.check_write(editor, mines, nullptr, &khm), amis::core::Forbidden);
  EXPECT_THROW(policy.check_write(editor, mines, &khm, nullptr), amis::core::Forbidden);
  EXPECT_NO_THROW(policy.check_write(reviewer, mines, &khm, &tha));
  auto unset = state("POINT (100 13)", "C", "");
  unset.properties["iso3"] = nullptr;
  policy.check_write(editor, mines, nullptr, &unset);
  EXPECT_EQ(unset.properties["iso3"], "THA");

  amis::core::Collection no_country = mines;
  no_country.properties.erase(no_country.properties.begin() + 1);
  EXPECT_THROW(policy.check_write(editor, no_country, nullptr, &tha), amis::core::Forbidden);

  amis::edit::ChangeSet own;
  own.author = "expert";
  EXPECT_THROW(policy.check_reviewer(reviewer, own), amis::core::Forbidden);
  EXPECT_THROW(policy.check_reviewer(editor, own), amis::core::Forbidden);
  EXPECT_NO_THROW(policy.check_reviewer({"admin", amis::auth::Role::Admin, ""}, own));
  EXPECT_FALSE(policy.may_read(editor, own));
}

TEST(IfMatch, ComparesStrongTags) {
  EXPECT_TRUE(amis::edit::if_match_accepts("\"abc\"", "\"abc\""));
  EXPECT_TRUE(amis::edit::if_match_accepts(" \"x\", \"abc\" ", "\"abc\""));
  EXPECT_TRUE(amis::edit::if_match_accepts("*", "\"abc\""));
  EXPECT_FALSE(amis::edit::if_match_accepts("W/\"abc\"", "\"abc\""));
  EXPECT_FALSE(amis::edit::if_match_accepts("\"abd\"", "\"abc\""));
}

TEST(Digest, ChangesWithTheContentOnly) {
  const auto a = state("POINT (100 13)", "A", "THA");
  auto b = a;
  EXPECT_EQ(amis::edit::digest(a), amis::edit::digest(b));
  b.properties["name"] = "B";
  EXPECT_NE(amis::edit::digest(a), amis::edit::digest(b));
  auto c = a;
  c.wkb = amis::testing::wkb_from_wkt("POINT (100 13.000001)");
  EXPECT_NE(amis::edit::digest(a), amis::edit::digest(c));
  EXPECT_EQ(amis::edit::digest(a).size(), 32u);
}

}  // namespace
