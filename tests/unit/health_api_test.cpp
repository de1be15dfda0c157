// GET /health as a load balancer reads it: 200 while the node can answer at
// least reads, "read-only" while only a replica answers, 503 when nothing does.
#include "api/health/health_api.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace amis;

namespace {

// The databases as a store would report them at one moment.
class FixedHealth : public store::HealthReporter {
 public:
  store::StoreHealth now;
  store::StoreHealth health() override { return now; }
};

store::DatabaseHealth database(const char* role, bool reachable) {
  store::DatabaseHealth d;
  d.role = role;
  d.name = std::string(role) + ":5432/amis";
  d.reachable = reachable;
  if (!reachable) d.error = "unreachable";
  return d;
}

amis::testing::RecordingResponse get_health(store::HealthReporter& reporter) {
  api::health::HealthApi api(reporter);
  http::Router router;
  api.register_routes(router);
  http::Request r;
  r.method = "GET";
  r.path = "/health";
  amis::testing::RecordingResponse response;
  const http::Handler* handler = nullptr;
  std::string allowed;
  EXPECT_EQ(router.match(r, handler, allowed), http::Router::Match::Found);
  if (handler) (*handler)(r, response);
  return response;
}

std::string status_of(const amis::testing::RecordingResponse& r) {
  return nlohmann::json::parse(r.body)["status"].get<std::string>();
}

}  // namespace

TEST(HealthApi, ANodeWhosePrimaryAnswersIsOk) {
  FixedHealth h;
  h.now = {"postgis", {database("primary", true), database("replica", false)}};
  const auto r = get_health(h);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(status_of(r), "ok");
}

TEST(HealthApi, ANodeWithOnlyAReplicaStaysInTheBalancerReadOnly) {
  FixedHealth h;
  h.now = {"postgis", {database("primary", false), database("replica", true)}};
  const auto r = get_health(h);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(status_of(r), "read-only");
  EXPECT_FALSE(h.now.usable());
  EXPECT_TRUE(h.now.readable());
}

TEST(HealthApi, ANodeThatReachesNoDatabaseIsTakenOut) {
  FixedHealth h;
  h.now = {"postgis", {database("primary", false), database("replica", false)}};
  auto r = get_health(h);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(status_of(r), "unavailable");
  h.now = {"geopackage", {database("file", false)}};
  r = get_health(h);
  EXPECT_EQ(r.status, 503);
  h.now.databases[0].reachable = true;
  EXPECT_EQ(status_of(get_health(h)), "ok");
}
