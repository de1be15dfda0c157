#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/request.hpp"

using namespace amis::http;

TEST(Router, MatchesPatternsAndExtractsParameters) {
  Router router;
  int hit = 0;
  router.add("GET", "/collections/{collectionId}/items/{featureId}", [&](Request&, Response&) { hit = 1; });
  router.add("POST", "/collections/{collectionId}/items", [&](Request&, Response&) { hit = 2; });
  Request r;
  r.method = "GET";
  r.path = "/collections/coal_mines/items/42";
  const Handler* h = nullptr;
  std::string allowed;
  ASSERT_EQ(router.match(r, h, allowed), Router::Match::Found);
  EXPECT_EQ(r.path_param("collectionId"), "coal_mines");
  EXPECT_EQ(r.path_param("featureId"), "42");

  r.path = "/collections/coal_mines/items";
  EXPECT_EQ(router.match(r, h, allowed), Router::Match::WrongMethod);
  EXPECT_EQ(allowed, "POST");
  r.path = "/collections";
  EXPECT_EQ(router.match(r, h, allowed), Router::Match::NotFound);
  r.method = "HEAD";
  r.path = "/collections/x/items/1";
  EXPECT_EQ(router.match(r, h, allowed), Router::Match::Found);
}

TEST(QueryString, DecodesPercentAndPlusAndRejectsBrokenEscapes) {
  auto q = parse_query("bbox=100%2C0%2C110%2C10&name=Han+Seng&empty=&flag");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 4u);
  EXPECT_EQ((*q)[0].second, "100,0,110,10");
  EXPECT_EQ((*q)[1].second, "Han Seng");
  EXPECT_EQ((*q)[3].first, "flag");
  EXPECT_FALSE(parse_query("a=%zz"));
  EXPECT_FALSE(parse_query("a=%4"));
  EXPECT_EQ(percent_encode("a b/c,d"), "a%20b%2Fc,d");
}

TEST(Router, ListsItsRoutesInOrderWithTheirPatterns) {
  Router router;
  router.add("GET", "/", [](Request&, Response&) {});
  router.add("POST", "/collections/{collectionId}/items/", [](Request&, Response&) {});
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/");
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].pattern, "/collections/{collectionId}/items");
}
