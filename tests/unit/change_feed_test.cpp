// The change feed's page format (issue 16): what a national node writes reads
// back into the same features (same digests, so the regional node's conflict
// checks compare like with like), and what a broken or hostile node sends is
// refused with a parsing error, never a crash.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "edit/feature_input.hpp"
#include "federation/change_feed.hpp"
#include "test_support.hpp"

namespace {

using amis::federation::read_change_feed;
using nlohmann::json;

amis::edit::ChangeSet approved_change_set() {
  amis::edit::ChangeSet cs;
  cs.id = 12;
  cs.collection = "mines";
  cs.title = "Two mines";
  cs.author = "editor-idn";
  cs.reviewer = "reviewer-1";
  cs.country = "IDN";
  cs.state = amis::edit::ChangeSetState::Approved;
  cs.reviewed = "2026-12-06T01:02:03.456Z";
  return cs;
}

amis::edit::FeatureState mine(const char* wkt, double capacity) {
  amis::edit::FeatureState s;
  s.wkb = amis::testing::wkb_from_wkt(wkt);
  s.properties = {{"name", "Grasberg"}, {"iso3", "IDN"}, {"capacity", capacity}, {"opened", "1990-01-01T00:00:00.000Z"}};
  return s;
}

std::string page_of(const json& entry) { return json{{"changes", json::array({entry})}}.dump(); }

TEST(ChangeFeed, WhatANodeWritesReadsBackIntoTheSameFeatures) {
  std::vector<amis::edit::Change> changes(3);
  changes[0].operation = amis::edit::Operation::Insert;
  changes[0].fid = 40;
  changes[0].after = mine("POINT (137.11627334612345 -4.0531188471234567)", 0.1 + 0.2);
  changes[1].operation = amis::edit::Operation::Replace;
  changes[1].fid = 7;
  changes[1].base = "0123456789abcdef0123456789abcdef";
  changes[1].after = mine("POINT (110.000000000000014 -7.25)", 1e-300);
  changes[2].operation = amis::edit::Operation::Delete;
  changes[2].fid = 8;
  changes[2].base = "fedcba9876543210fedcba9876543210";
  const auto written = amis::federation::feed_entry_json(5, approved_change_set(), changes);
  // Provenance without the people: neither author nor reviewer is named.
  EXPECT_EQ(written.dump().find("editor-idn"), std::string::npos);
  EXPECT_EQ(written.dump().find("reviewer-1"), std::string::npos);

  const auto page = read_change_feed(page_of(written));
  ASSERT_EQ(page.changes.size(), 1u);
  const auto& cs = page.changes[0];
  EXPECT_EQ(cs.sequence, 5);
  EXPECT_EQ(cs.change_set, 12);
  EXPECT_EQ(cs.collection, "mines");
  EXPECT_EQ(cs.country, "IDN");
  EXPECT_EQ(cs.approved, "2026-12-06T01:02:03.456Z");
  ASSERT_EQ(cs.operations.size(), 3u);
  EXPECT_EQ(cs.operations[0].operation, amis::edit::Operation::Insert);
  EXPECT_EQ(cs.operations[0].id, 40);
  EXPECT_EQ(cs.operations[1].base, changes[1].base);
  EXPECT_TRUE(cs.operations[2].feature.is_null());
  EXPECT_EQ(cs.operations[2].base, changes[2].base);
  const auto collection = amis::testing::mines_collection();
  for (int i : {0, 1}) {
    const auto back = amis::edit::read_feature(collection, cs.operations[i].feature.dump());
    EXPECT_EQ(back.wkb, changes[i].after.wkb) << i;
    EXPECT_EQ(amis::edit::digest(back), amis::edit::digest(changes[i].after)) << i;
  }
  EXPECT_TRUE(page.next.empty());
}

TEST(ChangeFeed, ReadsTheNextLink) {
  const auto page = read_change_feed(
      R"({"changes":[],"links":[{"rel":"self","href":"/changes?since=0"},{"rel":"next","href":"/changes?since=9"}]})");
  EXPECT_TRUE(page.changes.empty());
  EXPECT_EQ(page.next, "/changes?since=9");
}

TEST(ChangeFeed, RefusesPagesThatAreNoChangeFeed) {
  const json op = {{"op", "delete"}, {"id", 3}, {"base", "ab"}};
  const json entry = {{"sequence", 1}, {"changeSet", 2}, {"collection", "mines"}, {"approved", "2026-01-01T00:00:00Z"},
                      {"operations", json::array({op})}};
  auto with = [&](const char* key, const json& value) {
    json e = entry;
    if (value.is_discarded()) e.erase(key);
    else e[key] = value;
    return page_of(e);
  };
  auto op_with = [&](const char* key, const json& value) {
    json o = op;
    if (value.is_discarded()) o.erase(key);
    else o[key] = value;
    json e = entry;
    e["operations"] = json::array({o});
    return page_of(e);
  };
  const json missing(json::value_t::discarded);
  const json two = {{"changes", json::array({entry, entry})}};
  const std::vector<std::string> refused = {
      "", "null", "[]", "{\"changes\": 3}", "{\"changes\": [1]}", "{\"chan", two.dump(),
      with("sequence", missing), with("sequence", 0), with("sequence", "1"), with("sequence", 1.5),
      with("changeSet", missing), with("collection", ""), with("collection", 7), with("approved", missing),
      with("country", "INDONESIA"), with("operations", json::object()),
      op_with("op", "upsert"), op_with("op", missing), op_with("id", -1), op_with("base", missing), op_with("base", ""),
      op_with("op", "insert"),  // an insert without its feature
      std::string(100, '[') + std::string(100, ']')};
  for (const auto& text : refused) {
    try {
      read_change_feed(text);
      ADD_FAILURE() << "read: " << text;
    } catch (const amis::core::ParsingFailed& e) {
      EXPECT_EQ(e.status(), 400) << text;
    }
  }
}

TEST(ChangeFeed, BoundsWhatAPageMayHold) {
  json ops = json::array();
  for (int i = 1; i <= 11; ++i) ops.push_back({{"op", "delete"}, {"id", i}, {"base", "ab"}});
  const json entry = {{"sequence", 1}, {"changeSet", 2}, {"collection", "mines"}, {"approved", "2026-01-01T00:00:00Z"},
                      {"operations", ops}};
  amis::federation::FeedLimits limits;
  limits.max_operations = 10;
  EXPECT_THROW(read_change_feed(page_of(entry), limits), amis::core::ParsingFailed);
  limits.max_operations = 11;
  EXPECT_EQ(read_change_feed(page_of(entry), limits).changes[0].operations.size(), 11u);
  limits.max_bytes = 100;
  EXPECT_THROW(read_change_feed(page_of(entry), limits), amis::core::ParsingFailed);
}

}  // namespace
