// In-process handler tests: the API over a real GeoPackage store, no sockets.
#include "api/features/features_api.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace amis;

class FeaturesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<store::gpkg::GpkgStore>(path_.str());
    amis::testing::write_mines(*store_);
    api_ = std::make_unique<api::features::FeaturesApi>(*store_, api::features::ServiceInfo{});
    api_->register_routes(router_);
  }

  amis::testing::RecordingResponse get(const std::string& path,
                                       std::vector<std::pair<std::string, std::string>> query = {}) {
    http::Request r;
    r.method = "GET";
    r.path = path;
    r.query = std::move(query);
    r.headers["host"] = "amis.test";
    amis::testing::RecordingResponse response;
    const http::Handler* handler = nullptr;
    std::string allowed;
    EXPECT_EQ(router_.match(r, handler, allowed), http::Router::Match::Found) << path;
    if (handler) (*handler)(r, response);
    return response;
  }

  amis::testing::TempStorePath path_{"api"};
  std::unique_ptr<store::gpkg::GpkgStore> store_;
  std::unique_ptr<api::features::FeaturesApi> api_;
  http::Router router_;
};

TEST_F(FeaturesApiTest, ItemsAreAGeoJsonFeatureCollectionWithPagingLinks) {
  auto r = get("/collections/mines/items", {{"limit", "2"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/geo+json");
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["numberMatched"], 3);
  EXPECT_EQ(doc["numberReturned"], 2);
  std::string next;
  for (const auto& l : doc["links"])
    if (l["rel"] == "next") next = l["href"];
  EXPECT_EQ(next, "http://amis.test/collections/mines/items?limit=2&f=json&offset=2&after=2");  // keyset
}

TEST_F(FeaturesApiTest, ErrorsAreOgcApiExceptionsWithTheirStatus) {
  auto bad_limit = get("/collections/mines/items", {{"limit", "0"}});
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_limit.body)["code"], "InvalidParameterValue");
  EXPECT_EQ(get("/collections/nothing/items").status, 404);
  EXPECT_EQ(get("/collections/mines/items/999").status, 404);
  EXPECT_EQ(get("/collections/mines/items/abc").status, 404);
  EXPECT_EQ(get("/collections/mines", {{"f", "xml"}}).status, 406);
  EXPECT_EQ(get("/collections", {{"unknown", "1"}}).status, 400);
}

TEST_F(FeaturesApiTest, OneFeatureHasItsLinksAndCrs) {
  auto r = get("/collections/mines/items/2");
  ASSERT_EQ(r.status, 200);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["id"], 2);
  EXPECT_EQ(doc["properties"]["name"], "Kaltim Prima");
  EXPECT_EQ(doc["geometry"]["coordinates"][0], 116.5);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Content-Crs");
}

TEST_F(FeaturesApiTest, OpenApiDescribesEveryCollectionWithItsQueryables) {
  auto r = get("/api");
  ASSERT_EQ(r.status, 200);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  const auto& params = doc["paths"]["/collections/mines/items"]["get"]["parameters"];
  bool has_iso3 = false;
  for (const auto& p : params) has_iso3 = has_iso3 || p.value("name", "") == "iso3";
  EXPECT_TRUE(has_iso3);
}

// Every $ref of the document points into it (swagger-parser checks this too, but
// only where Node is installed), and every path parameter is declared.
TEST_F(FeaturesApiTest, OpenApiReferencesResolveAndPathParametersAreDeclared) {
  const auto doc = nlohmann::json::parse(get("/api").body);
  std::vector<std::string> dangling;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
    if (node.is_object() && node.contains("$ref")) {
      const auto target = node["$ref"].get<std::string>().substr(1);  // "#/components/..." -> "/components/..."
      if (!doc.contains(nlohmann::json::json_pointer(target))) dangling.push_back(target);
    }
    if (node.is_structured())
      for (const auto& child : node) walk(child);
  };
  walk(doc);
  EXPECT_EQ(dangling, std::vector<std::string>{});
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::set<std::string> declared;
      for (auto p : op["parameters"]) {
        if (p.contains("$ref")) p = doc[nlohmann::json::json_pointer(p["$ref"].get<std::string>().substr(1))];
        if (p["in"] == "path") declared.insert(p["name"].get<std::string>());
      }
      for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
        const auto name = path.substr(open + 1, path.find('}', open) - open - 1);
        EXPECT_TRUE(declared.count(name)) << method << " " << path << " does not declare {" << name << "}";
      }
    }
  }
}
