// Conditional GETs of a harvest's pages (federation/known_pages.hpp, issue 16): what
// validators are kept and sent back, a 304 taken as "not modified" only when asked
// for, a page not modified listing what it listed, and both stores keeping the pages.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "federation/known_pages.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_nodes.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/postgis/pg_nodes.hpp"
#include "store/postgis/pg_schema.hpp"
#include "test_support.hpp"

namespace amis::federation {
namespace {

TEST(KeptValidator, KeepsPrintableAsciiAndNothingElse) {
  EXPECT_EQ(kept_validator(R"(W/"5f3a-17c")"), R"(W/"5f3a-17c")");
  EXPECT_EQ(kept_validator("Mon, 07 Dec 2026 15:00:00 GMT"), "Mon, 07 Dec 2026 15:00:00 GMT");
  EXPECT_EQ(kept_validator("\"a\"\r\nSet-Cookie: x=1"), "");  // never a header of the node's making
  EXPECT_EQ(kept_validator("\"caf\xc3\xa9\""), "");
  EXPECT_EQ(kept_validator(std::string(201, 'a')), "");
  EXPECT_EQ(kept_validator(std::string(200, 'a')), std::string(200, 'a'));
  EXPECT_EQ(kept_validator(""), "");
}

// Answers with `status` and notes the validators each request sent.
class ConditionalGetter final : public HttpGetter {
 public:
  explicit ConditionalGetter(int status) : status_(status) {}
  Fetched get(const NodeUrl&, std::string_view, std::string_view, const FetchLimits&,
              const Validators& if_changed) override {
    sent.push_back(if_changed);
    Fetched f;
    f.status = status_;
    f.body = status_ == 200 ? "page" : "";
    if (status_ == 200) f.validators = {"\"v2\"", "Mon, 07 Dec 2026 15:00:00 GMT"};
    return f;
  }
  std::vector<Validators> sent;

 private:
  int status_;
};

const NodeUrl kPage = parse_node_url("http://node.example.org/collections/catalog/items?f=json&limit=500");

TEST(FetchIfChanged, A304ToAConditionalGetIsNotModified) {
  ConditionalGetter getter(304);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter);
  EXPECT_FALSE(client.fetch_if_changed(kPage, "application/json", {"\"v1\"", ""}).has_value());
  ASSERT_EQ(getter.sent.size(), 1u);
  EXPECT_EQ(getter.sent[0].etag, "\"v1\"");
}

TEST(FetchIfChanged, A304ToAnUnconditionalGetFails) {
  ConditionalGetter getter(304);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter);
  EXPECT_THROW(client.fetch(kPage, "application/json"), FetchFailed);
  EXPECT_TRUE(getter.sent.at(0).empty());
}

TEST(FetchPage, APageKeptFromTheLastRunIsAskedForWithItsValidators) {
  ConditionalGetter getter(200);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter);
  const KnownPages known({{kPage.text(), "\"v1\"", "Sun, 06 Dec 2026 10:00:00 GMT", "", {{"a", "d1"}}, kPageReader}});
  const auto answer = fetch_page(client, kPage, "application/json", known);
  EXPECT_EQ(getter.sent.at(0).etag, "\"v1\"");
  EXPECT_EQ(getter.sent.at(0).last_modified, "Sun, 06 Dec 2026 10:00:00 GMT");
  EXPECT_EQ(answer.unchanged, nullptr);
  EXPECT_EQ(answer.body, "page");
  EXPECT_EQ(answer.validators.etag, "\"v2\"");
  // Another page of the same node: asked for unconditionally.
  fetch_page(client, parse_node_url("http://node.example.org/collections/catalog/items?f=json&offset=500"),
             "application/json", known);
  EXPECT_TRUE(getter.sent.at(1).empty());
}

TEST(FetchPage, NotModifiedGivesThePageAsTheLastRunListedIt) {
  ConditionalGetter getter(304);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter);
  const KnownPages known(
      {{kPage.text(), "\"v1\"", "", "http://node.example.org/next", {{"a", "d1"}, {"b", "d2"}}, kPageReader}});
  const auto answer = fetch_page(client, kPage, "application/json", known);
  ASSERT_NE(answer.unchanged, nullptr);
  EXPECT_EQ(answer.unchanged->next, "http://node.example.org/next");
  auto page = unchanged_page(*answer.unchanged);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[1].source_id, "b");
  EXPECT_EQ(page.items[1].digest, "d2");
  EXPECT_THROW(page.items[0].read(), core::InvalidValue);  // its record is not there to read
  ASSERT_TRUE(page.validated.has_value());
  EXPECT_EQ(page.validated->etag, "\"v1\"");
}

TEST(FetchPage, APageKeptByAnotherVersionOfTheReadersIsAskedForInFull) {
  ConditionalGetter getter(200);
  NodeClient client(parse_node_url("http://node.example.org/"), "", getter);
  const KnownPages known({{kPage.text(), "\"v1\"", "", "", {{"a", "d1"}}, kPageReader - 1}});
  EXPECT_EQ(known.find(kPage), nullptr);
  fetch_page(client, kPage, "application/json", known);
  EXPECT_TRUE(getter.sent.at(0).empty());
}

TEST(KeepValidators, OnlyAPageWithValidatorsIsKept) {
  SourcePage page;
  keep_validators(page, kPage, {});
  EXPECT_FALSE(page.validated.has_value());
  keep_validators(page, kPage, {"", "Sun, 06 Dec 2026 10:00:00 GMT"}, "http://node.example.org/next");
  ASSERT_TRUE(page.validated.has_value());
  EXPECT_EQ(page.validated->url, kPage.text());
  EXPECT_EQ(page.validated->next, "http://node.example.org/next");
  EXPECT_EQ(page.validated->reader, kPageReader);
}

// Both stores keep a node's pages, replace them as a whole and drop them with the node.
struct HarvestedPages : ::testing::TestWithParam<std::string> {
  std::unique_ptr<amis::testing::TempStorePath> path;
  std::unique_ptr<store::gpkg::GpkgStore> store;
  std::unique_ptr<amis::testing::PgTestDatabase> database;
  std::unique_ptr<store::postgis::Pool> pool;
  std::unique_ptr<store::NodeStore> nodes;

  void SetUp() override {
    if (GetParam() == "postgis") {
      const auto url = amis::testing::test_pg_url();
      if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set";
      database = std::make_unique<amis::testing::PgTestDatabase>(*url);
      pool = std::make_unique<store::postgis::Pool>(database->url(), 2);
      store::postgis::ensure_schema(*pool->acquire());
      nodes = std::make_unique<store::postgis::PgNodes>(*pool);
    } else {
      path = std::make_unique<amis::testing::TempStorePath>("harvested-pages");
      store = std::make_unique<store::gpkg::GpkgStore>(path->str());
      nodes = std::make_unique<store::gpkg::GpkgNodes>(path->str());
    }
    Node node;
    node.name = "idn";
    node.url = "http://node.example.org/";
    node.kind = NodeKind::Records;
    node.country = "IDN";
    nodes->add(node);
  }
};

TEST_P(HarvestedPages, AreKeptReplacedAndRemovedWithTheNode) {
  EXPECT_TRUE(nodes->harvested_pages("idn").empty());
  const std::vector<std::pair<std::string, std::string>> items{{"a \"quoted\"\tid", "d1"}, {"b", "d2"}};
  nodes->save_harvested_pages("idn", {{"http://node.example.org/p1", "W/\"1\"", "", "http://node.example.org/p2", items, 7},
                                      {"http://node.example.org/p2", "", "Sun, 06 Dec 2026 10:00:00 GMT", "", {}, 7}});
  auto pages = nodes->harvested_pages("idn");
  ASSERT_EQ(pages.size(), 2u);
  std::sort(pages.begin(), pages.end(), [](const auto& a, const auto& b) { return a.url < b.url; });
  EXPECT_EQ(pages[0].etag, "W/\"1\"");
  EXPECT_EQ(pages[0].next, "http://node.example.org/p2");
  EXPECT_EQ(pages[0].items, items);
  EXPECT_EQ(pages[0].reader, 7);
  EXPECT_EQ(pages[1].last_modified, "Sun, 06 Dec 2026 10:00:00 GMT");
  EXPECT_TRUE(pages[1].items.empty());
  nodes->save_harvested_pages("idn", {{"http://node.example.org/p3", "\"3\"", "", "", {}}});
  pages = nodes->harvested_pages("idn");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].url, "http://node.example.org/p3");
  EXPECT_TRUE(nodes->remove("idn"));
  EXPECT_TRUE(nodes->harvested_pages("idn").empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, HarvestedPages, ::testing::Values("gpkg", "postgis"),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace amis::federation
