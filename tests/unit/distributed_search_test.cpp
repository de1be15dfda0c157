// Distributed search (federation/distributed_search.hpp): the merge (records taken in
// turns from each source, the local one leading, a record dropped when one already
// taken has its identifier or its provenance source id), and the deadline (an answer
// that arrived in time is read, within the grace).
#include <gtest/gtest.h>

#include <thread>

#include "catalog/iso_schema.hpp"
#include "catalog/record_order.hpp"
#include "federation/distributed_search.hpp"
#include "store/gpkg/gpkg_nodes.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "test_support.hpp"

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

// Answers every request `before` the deadline it is given (the request's timeout) with
// an OGC API - Records page of `records` records: reading it takes longer than `before`.
class JustInTimeGetter final : public HttpGetter {
 public:
  JustInTimeGetter(std::chrono::milliseconds before, int records) : before_(before) {
    body_ = R"({"type":"FeatureCollection","numberMatched":)" + std::to_string(records) + R"(,"features":[)";
    for (int i = 0; i < records; ++i)
      body_ += std::string(i ? "," : "") + R"({"type":"Feature","id":"r)" + std::to_string(i) +
               R"(","geometry":null,"properties":{"title":"Record )" + std::to_string(i) +
               R"(","type":"dataset","keywords":["gold","copper"],"updated":"2026-01-02T03:04:05Z"}})";
    body_ += "]}";
  }
  Fetched get(const NodeUrl&, std::string_view, std::string_view, const FetchLimits& limits,
              const Validators&) override {
    std::this_thread::sleep_for(limits.timeout - before_);
    Fetched f;
    f.status = 200;
    f.content_type = "application/geo+json";
    f.body = body_;
    return f;
  }

 private:
  std::chrono::milliseconds before_;
  std::string body_;
};

class SearchDeadline : public ::testing::Test {
 protected:
  SearchDeadline() : store_(path_.str()), nodes_(path_.str()), schema_(AMIS_TEST_DATA) {
    Node node;
    node.name = "late";
    node.url = "http://node.example.org/collections/catalog/items";
    node.kind = NodeKind::Records;
    node.country = "THA";
    node.schedule_seconds = 0;
    nodes_.add(node);
  }
  NodeSearchOutcome search_once(std::chrono::milliseconds read_grace,
                                std::optional<std::chrono::milliseconds> given = std::nullopt) {
    DistributedSearchOptions options;
    options.deadline = std::chrono::milliseconds(600);
    options.read_grace = read_grace;
    DistributedSearch search(nodes_, getter_, schema_, options);
    ForwardedSearch forwarded;
    forwarded.records.query = "f=json&limit=100000";
    auto results = search.start(forwarded, given)->wait();
    EXPECT_EQ(results.size(), 1u);
    return results.at(0).outcome;
  }

  amis::testing::TempStorePath path_{"search-deadline"};
  store::gpkg::GpkgStore store_;
  store::gpkg::GpkgNodes nodes_;
  catalog::IsoSchemaOnce schema_;
  // 100 ms before the deadline (room for a late wake-up of the getter), 50,000 records (7.5 MB,
  // within the 8 MB an answer may have): their reading (parsing, a record each) takes longer
  // than 100 ms (250 ms at least here), sanitizers or not.
  JustInTimeGetter getter_{std::chrono::milliseconds(100), 50000};
};

TEST_F(SearchDeadline, AnAnswerThatArrivedInTimeIsReadPastTheDeadline) {
  const auto outcome = search_once(std::chrono::seconds(30));
  EXPECT_EQ(outcome.status, NodeSearchStatus::Answered) << outcome.reason;
  EXPECT_EQ(outcome.returned, 50000);
  EXPECT_GT(outcome.seconds, 0.6);  // its reading ended after the deadline
}

TEST_F(SearchDeadline, AskedByANodeSearchingFurtherTheGraceIsATenthOfTheTimeGiven) {
  // 600 ms given: 60 ms of grace, less than the reading takes; the asking node gets this
  // node's answer within the margin it kept, without the node it could not read in time.
  const auto outcome = search_once(std::chrono::seconds(30), std::chrono::milliseconds(600));
  EXPECT_EQ(outcome.status, NodeSearchStatus::CutOff);
  EXPECT_EQ(outcome.reason, "the node's answer could not be read in time");
  EXPECT_LT(outcome.seconds, 2.0);  // not the 30 s grace of a search no node asked for
}

TEST_F(SearchDeadline, AnAnswerNotReadWithinTheGraceIsCutOff) {
  const auto outcome = search_once(std::chrono::milliseconds(1));
  EXPECT_EQ(outcome.status, NodeSearchStatus::CutOff);
  EXPECT_EQ(outcome.reason, "the node's answer could not be read in time");
}

TEST(MergeRecords, StatusWords) {
  EXPECT_EQ(to_string(NodeSearchStatus::CutOff), "cut-off");
  EXPECT_EQ(to_string(NodeSearchStatus::Answered), "answered");
}

}  // namespace
}  // namespace amis::federation
