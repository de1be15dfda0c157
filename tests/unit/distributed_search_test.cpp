// Distributed search's merge (federation/distributed_search.hpp): records taken in
// turns from each source, the local one leading, a record dropped when one already
// taken has its identifier or its provenance source id.
#include <gtest/gtest.h>

#include "catalog/record_order.hpp"
#include "federation/distributed_search.hpp"

namespace amis::federation {
namespace {

catalog::Record record(const std::string& id, const std::string& source_id = "") {
  catalog::Record r;
  r.id = id;
  r.title = id;
  if (!source_id.empty()) r.provenance = catalog::Provenance{"nat", source_id, "", ""};
  return r;
}

std::vector<std::string> ids(const MergedRecords& m) {
  std::vector<std::string> out;
  for (const auto& r : m.records) out.push_back(r.id);
  return out;
}

TEST(MergeRecords, TakesTurnsLocalFirst) {
  std::vector<NodeSearchResult> nodes(2);
  nodes[0].records = {record("a1"), record("a2"), record("a3")};
  nodes[1].records = {record("b1")};
  const auto m = merge_records({record("l1"), record("l2")}, nodes);
  EXPECT_EQ(ids(m), (std::vector<std::string>{"l1", "a1", "b1", "l2", "a2", "a3"}));
  EXPECT_EQ(m.duplicates, 0);
}

TEST(MergeRecords, DropsTheSameIdentifierAndTheSameSource) {
  std::vector<NodeSearchResult> nodes(2);
  nodes[0].records = {record("x"), record("y")};      // x: harvested here as nat:x
  nodes[1].records = {record("y"), record("z", "w")};  // y again; z is a copy of w
  const auto m = merge_records({record("nat:x", "x"), record("w")}, nodes);
  EXPECT_EQ(ids(m), (std::vector<std::string>{"nat:x", "y", "w"}));
  EXPECT_EQ(m.duplicates, 3);
}

TEST(MergeRecords, WithSortbyTheMergedListIsInThatOrder) {
  std::vector<NodeSearchResult> nodes(2);
  nodes[0].records = {record("a"), record("c"), record("e")};
  nodes[1].records = {record("b"), record("f")};
  const auto m = merge_records({record("d"), record("g")}, nodes, {{"title", false}});
  EXPECT_EQ(ids(m), (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g"}));
  std::vector<NodeSearchResult> again(1);
  again[0].records = {record("f"), record("b")};
  const auto down = merge_records({record("g"), record("a")}, again, {{"title", true}});
  EXPECT_EQ(ids(down), (std::vector<std::string>{"g", "f", "b", "a"}));
}

TEST(RecordOrder, EmptyFirstAscendingNumbersAsNumbersAndTheIdLast) {
  catalog::Record untitled = record("z");
  untitled.title.clear();
  const std::vector<core::SortKey> by_title{{"title", false}};
  EXPECT_TRUE(catalog::ordered_before(untitled, record("a"), by_title));
  EXPECT_FALSE(catalog::ordered_before(untitled, record("a"), {{"title", true}}));  // last when descending
  catalog::Record nine = record("n9"), ten = record("n10");
  nine.feature_count = 9;
  ten.feature_count = 10;
  EXPECT_TRUE(catalog::ordered_before(nine, ten, {{"featureCount", false}}));
  catalog::Record same_a = record("a"), same_b = record("b");
  same_a.title = same_b.title = "same";
  EXPECT_TRUE(catalog::ordered_before(same_a, same_b, by_title));
  EXPECT_FALSE(catalog::ordered_before(same_b, same_a, by_title));
}

TEST(MergeRecords, StatusWords) {
  EXPECT_EQ(to_string(NodeSearchStatus::CutOff), "cut-off");
  EXPECT_EQ(to_string(NodeSearchStatus::Answered), "answered");
}

}  // namespace
}  // namespace amis::federation
