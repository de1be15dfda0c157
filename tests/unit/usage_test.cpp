// The usage statistics (issue 18): classification of routed requests, client
// classes, the addresses believed behind proxies, the non-blocking queue, and the
// aggregator writing to a GeoPackage store and to PostgreSQL (when
// AMIS_TEST_PG_URL names a cluster) on a clock of the test's own.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "core/returned_features.hpp"
#include "monitor/bounded_queue.hpp"
#include "monitor/client_address.hpp"
#include "monitor/client_class.hpp"
#include "monitor/usage_aggregator.hpp"
#include "monitor/usage_classifier.hpp"
#include "monitor/usage_reports.hpp"
#include "pg_test_support.hpp"
#include "store/gpkg/gpkg_store.hpp"
#include "store/gpkg/gpkg_usage.hpp"
#include "store/postgis/pg_schema.hpp"
#include "store/postgis/pg_usage.hpp"
#include "test_support.hpp"

namespace {

using amis::http::Request;
using amis::http::Router;
namespace monitor = amis::monitor;

// A router with the server's route shapes (handlers do nothing).
Router routes() {
  Router r;
  const auto none = [](Request&, amis::http::Response&) {};
  for (const char* p : {"/", "/collections", "/collections/catalog", "/collections/catalog/items",
                        "/collections/{collectionId}", "/collections/{collectionId}/items",
                        "/collections/{collectionId}/items/{featureId}",
                        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
                        "/collections/{collectionId}/map/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
                        "/wms", "/wfs", "/wmts", "/wmts/1.0.0/{layer}/{style}/{tileMatrixSet}/{tileMatrix}/{tileRow}/{tileCol}",
                        "/changesets/{changeSetId}/approve", "/usage/daily", "/wcs", "/needs/summary",
                        "/countries/{iso3}", "/metrics"})
    r.add("GET", p, none);
  r.add("POST", "/wfs", none);
  r.add("DELETE", "/collections/{collectionId}/items/{featureId}", none);
  return r;
}

monitor::Classification classified(const Router& router, std::string method, std::string path,
                                   std::vector<std::pair<std::string, std::string>> query = {}, std::string body = {}) {
  Request rq;
  rq.method = std::move(method);
  rq.path = std::move(path);
  rq.query = std::move(query);
  rq.body = std::move(body);
  const amis::http::Handler* handler = nullptr;
  std::string allowed;
  router.match(rq, handler, allowed);
  return monitor::classify(rq);
}

std::string triple(const monitor::Classification& c) {
  return std::string(c.service) + "|" + c.operation + "|" + c.collection + "|" + c.format;
}

TEST(UsageClassifier, ReadsServiceOperationAndCollectionFromTheRoute) {
  const auto r = routes();
  EXPECT_EQ(triple(classified(r, "GET", "/")), "features|landing||");
  EXPECT_EQ(triple(classified(r, "GET", "/collections/mines/items", {{"f", "json"}})), "features|items|mines|json");
  EXPECT_EQ(triple(classified(r, "GET", "/collections/mines/items/7")), "features|item|mines|");
  EXPECT_EQ(triple(classified(r, "DELETE", "/collections/mines/items/7")), "features|delete|mines|");
  EXPECT_EQ(triple(classified(r, "GET", "/collections/mines/tiles/WebMercatorQuad/1/0/0")), "tiles|tile|mines|");
  EXPECT_EQ(triple(classified(r, "GET", "/collections/mines/map/tiles/WebMercatorQuad/1/0/0")), "maps|tile|mines|");
  EXPECT_EQ(triple(classified(r, "GET", "/collections/catalog/items")), "records|items|catalog|");
  EXPECT_EQ(triple(classified(r, "GET", "/wmts/1.0.0/mines/default/WebMercatorQuad/1/0/0")), "wmts|GetTile|mines|");
  EXPECT_EQ(triple(classified(r, "GET", "/changesets/4/approve")), "editing|approve||");
  EXPECT_EQ(triple(classified(r, "GET", "/usage/daily")), "usage|daily||");
  EXPECT_EQ(triple(classified(r, "GET", "/needs/summary")), "needs|summary||");
  EXPECT_EQ(triple(classified(r, "GET", "/countries/IDN")), "invest|countries||");
  EXPECT_EQ(triple(classified(r, "GET", "/metrics")), "metrics|metrics||");
  EXPECT_EQ(triple(classified(r, "GET", "/no/such/thing")), "unknown|unknown||");
}

TEST(UsageClassifier, ReadsOwsOperationsAndLayersFromParametersAndBodies) {
  const auto r = routes();
  EXPECT_EQ(triple(classified(r, "GET", "/wms", {{"SERVICE", "WMS"}, {"request", "getmap"}, {"LAYERS", "mines,countries"},
                                                 {"FORMAT", "image/png"}})),
            "wms|GetMap|mines|png");
  EXPECT_EQ(triple(classified(r, "GET", "/wfs", {{"REQUEST", "GetFeature"}, {"TYPENAMES", "amis:mines"},
                                                 {"outputFormat", "application/gml+xml; version=3.2"}})),
            "wfs|GetFeature|mines|gml");
  EXPECT_EQ(triple(classified(r, "GET", "/wfs", {{"REQUEST", "<script>"}})), "wfs|unknown||");
  EXPECT_EQ(triple(classified(r, "POST", "/wfs", {},
                              "<?xml version=\"1.0\"?><!-- c --><wfs:GetFeature service=\"WFS\" version=\"2.0.0\">"
                              "<wfs:Query typeNames=\"amis:mines\"/></wfs:GetFeature>")),
            "wfs|GetFeature|mines|");
  EXPECT_EQ(triple(classified(r, "GET", "/wcs", {{"SERVICE", "WCS"}, {"REQUEST", "GetCoverage"}, {"COVERAGEID", "geoid"},
                                                 {"FORMAT", "image/tiff"}})),
            "wcs|GetCoverage|geoid|geotiff");
  EXPECT_EQ(triple(classified(r, "GET", "/wcs", {{"VERSION", "1.0.0"}, {"REQUEST", "DescribeCoverage"}, {"COVERAGE", "geoid"}})),
            "wcs|DescribeCoverage|geoid|");
  EXPECT_STREQ(monitor::format_name("application/x-made-up"), "other");
}

TEST(ClientClass, NamesTheKindOfClient) {
  EXPECT_STREQ(monitor::client_class("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"),
               "browser");
  EXPECT_STREQ(monitor::client_class("Mozilla/5.0 QGIS/32800/Debian GNU/Linux 12"), "gis");
  EXPECT_STREQ(monitor::client_class("GDAL/3.6.2"), "gis");
  EXPECT_STREQ(monitor::client_class("python-requests/2.28.1"), "script");
  EXPECT_STREQ(monitor::client_class("curl/7.88.1"), "script");
  EXPECT_STREQ(monitor::client_class("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
               "crawler");
  EXPECT_STREQ(monitor::client_class(""), "other");
}

TEST(ClientAddress, BelievesForwardedForOnlyFromTrustedProxies) {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
  EXPECT_EQ(monitor::client_address("192.0.2.9", "203.0.113.5", proxies), "192.0.2.9");  // not a proxy
  EXPECT_EQ(monitor::client_address("127.0.0.1", "203.0.113.5", proxies), "203.0.113.5");
  EXPECT_EQ(monitor::client_address("127.0.0.1", "198.51.100.1, 203.0.113.5, 10.0.0.2", proxies), "203.0.113.5");
  EXPECT_EQ(monitor::client_address("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(monitor::client_address("127.0.0.1", "not-an-address", proxies), "");
  EXPECT_EQ(monitor::client_address("::ffff:192.0.2.4", "", proxies), "192.0.2.4");
}

TEST(BoundedQueue, RefusesWhenFullAndLosesNothingUnderConcurrentProducers) {
  monitor::BoundedQueue<int> small(4);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(small.try_push(i));
  int extra = 9;
  EXPECT_FALSE(small.try_push(extra));
  EXPECT_EQ(*small.try_pop(), 0);

  monitor::BoundedQueue<int> q(1024);
  std::atomic<long> pushed{0}, refused{0}, popped{0};
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    while (!done || q.size() > 0)
      if (q.try_pop()) ++popped;
  });
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t)
    producers.emplace_back([&] {
      for (int i = 1; i <= 20000; ++i) {
        int v = i;
        if (q.try_push(v)) ++pushed; else ++refused;
      }
    });
  for (auto& p : producers) p.join();
  done = true;
  consumer.join();
  while (q.try_pop()) ++popped;
  EXPECT_EQ(pushed + refused, 80000);
  EXPECT_EQ(popped.load(), pushed.load());
}

struct Aggregation : ::testing::TestWithParam<std::string> {
  std::unique_ptr<amis::testing::TempStorePath> path;
  std::unique_ptr<amis::store::gpkg::GpkgStore> features;
  std::unique_ptr<amis::testing::PgTestDatabase> database;
  std::unique_ptr<amis::store::postgis::Pool> pool;
  std::unique_ptr<amis::store::UsageStore> usage;

  void SetUp() override {
    if (GetParam() == "postgis") {
      const auto url = amis::testing::test_pg_url();
      if (!url) GTEST_SKIP() << "AMIS_TEST_PG_URL is not set";
      database = std::make_unique<amis::testing::PgTestDatabase>(*url);
      pool = std::make_unique<amis::store::postgis::Pool>(database->url(), 2);
      amis::store::postgis::ensure_schema(*pool->acquire());
      usage = std::make_unique<amis::store::postgis::PgUsage>(*pool);
    } else {
      path = std::make_unique<amis::testing::TempStorePath>("usage");
      features = std::make_unique<amis::store::gpkg::GpkgStore>(path->str());
      usage = std::make_unique<amis::store::gpkg::GpkgUsage>(path->str());
    }
  }
  // Plain SQL on the store, not the aggregator's code.
  std::string query(const std::string& sql) {
    return database ? database->text(sql) : amis::testing::sqlite_text(path->str(), sql.c_str());
  }
};

Request request_for(const Router& router, const std::string& path, const std::string& peer) {
  Request rq;
  rq.method = "GET";
  rq.path = path;
  rq.remote_address = peer;
  rq.headers.emplace("user-agent", "curl/8.0");
  const amis::http::Handler* handler = nullptr;
  std::string allowed;
  router.match(rq, handler, allowed);
  return rq;
}

TEST_P(Aggregation, CountsKnownNamesDropsWhenFullAndForgetsRawEventsAfterTheirDays) {
  const auto router = routes();
  std::int64_t now = 1767247200000;  // 2026-01-01T06:00Z
  monitor::UsageRecorder recorder(8, [&now] { return now; });
  monitor::UsageOptions options;
  options.raw_event_days = 2;
  const monitor::CountryDatabase no_countries;
  monitor::UsageAggregator aggregator(
      recorder, *usage, no_countries, [] { return std::set<std::string, std::less<>>{"mines"}; }, options,
      {"127.0.0.1"}, [&now] { return now; });
  for (int i = 0; i < 10; ++i)  // 8 fit, 2 are dropped
    recorder.record(request_for(router, i % 2 ? "/collections/mines/items" : "/collections/nope/items", "192.0.2.1"),
                    {200, 100, 1.5, 3});
  EXPECT_EQ(recorder.accepted(), 8u);
  EXPECT_EQ(recorder.dropped(), 2u);
  aggregator.flush();
  EXPECT_EQ(query("SELECT period || ' ' || collection || ' ' || service || ' ' || operation || ' ' || country || ' ' || "
                  "requests || ' ' || bytes FROM amis_usage_daily ORDER BY collection"),
            "2026-01-01 mines features items unknown 4 400;2026-01-01 unknown features items unknown 4 400;");
  EXPECT_EQ(query("SELECT count(*) FROM amis_usage_events"), "8;");
  // Features returned: 3 per request, in both count tables and the raw events.
  EXPECT_EQ(query("SELECT sum(features) FROM amis_usage_daily"), "24;");
  EXPECT_EQ(query("SELECT sum(features) FROM amis_usage_hourly"), "24;");
  EXPECT_EQ(query("SELECT sum(features) FROM amis_usage_events"), "24;");
  EXPECT_EQ(query("SELECT day || ' ' || collection || ' ' || visitors FROM amis_usage_visitors ORDER BY collection"),
            "2026-01-01  1;2026-01-01 mines 1;");
  now += 3 * 86400000LL;  // past the raw events' two days
  recorder.record(request_for(router, "/collections/mines/items", "192.0.2.1"), {200, 1, 1});
  aggregator.flush();
  EXPECT_EQ(query("SELECT count(*) FROM amis_usage_events"), "1;");
  EXPECT_EQ(query("SELECT sum(requests) FROM amis_usage_daily"), "9;");  // counts stay for ever
  amis::core::UsageQuery day;
  day.from = day.to = "2026-01-04";
  day.group_by = {amis::core::UsageDimension::Collection};
  const auto report = usage->usage_report(day);
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].values[0], "mines");
  EXPECT_EQ(report[0].totals.requests, 1);
  EXPECT_EQ(report[0].totals.features, 0);
}

TEST_P(Aggregation, KeepsNoRawEventsWhenTheirDaysAreZero) {
  const auto router = routes();
  monitor::UsageRecorder recorder(16);
  monitor::UsageOptions options;
  options.raw_event_days = 0;
  const monitor::CountryDatabase no_countries;
  monitor::UsageAggregator aggregator(recorder, *usage, no_countries, [] { return std::set<std::string, std::less<>>{}; },
                                      options, {});
  recorder.record(request_for(router, "/", "192.0.2.1"), {200, 10, 1});
  aggregator.flush();
  EXPECT_EQ(query("SELECT count(*) FROM amis_usage_events"), "0;");
  EXPECT_EQ(query("SELECT sum(requests) FROM amis_usage_hourly"), "1;");
}

TEST_P(Aggregation, MonthlyReportAndMemberStateViewSumTheDailyRows) {
  using amis::core::UsageCount;
  const auto count = [](std::string day, std::string collection, std::string service, std::string operation,
                        std::string format, std::string country, std::int64_t requests) {
    return UsageCount{{std::move(day), std::move(collection), std::move(service), std::move(operation),
                       std::move(format), "2xx", "gis", std::move(country)},
                      {requests, requests * 100, 1.0, requests * 3}};
  };
  amis::core::UsageBatch batch;
  batch.daily = {count("2026-02-27", "mines", "wms", "GetMap", "png", "THA", 4),
                 count("2026-02-28", "mines", "features", "items", "csv", "SGP", 2),
                 count("2026-02-28", "roads", "wfs", "GetFeature", "gml", "THA", 5),
                 count("2026-02-28", "", "usage", "daily", "json", "THA", 9),  // the reports' own: left out
                 count("2026-03-01", "mines", "wms", "GetMap", "png", "THA", 7)};
  usage->add_usage(batch);
  const monitor::DatasetsOf datasets_of = [](const std::string& iso3) {
    return iso3 == "THA" ? std::vector<monitor::StateDataset>{{"mines", "features", 12}}
                         : std::vector<monitor::StateDataset>{};
  };
  const monitor::ShownName shown = [](const std::string& c) { return c == "roads" ? std::string("restricted") : c; };
  const auto report = monitor::monthly_usage(*usage, "2026-02", {"SGP", "THA", "VNM"}, datasets_of, shown);
  std::map<std::string, std::string> tables;
  for (const auto& t : report.tables)
    for (const auto& l : t.lines)
      tables[t.id] += l.key + "=" + std::to_string(l.totals.requests) + "/" + std::to_string(l.totals.features) + ";";
  EXPECT_EQ(tables["totals"], "all=11/33;");
  EXPECT_EQ(tables["datasets"], "mines=6/18;restricted=5/15;");
  EXPECT_EQ(tables["countries"], "THA=9/27;SGP=2/6;");
  EXPECT_EQ(tables["services"], "wfs=5/15;wms=4/12;features=2/6;");
  EXPECT_EQ(tables["downloads"], "mines=2/6;");
  EXPECT_EQ(tables["mapViews"], "mines=4/12;");
  EXPECT_EQ(tables["memberStates"], "THA=9/27;SGP=2/6;VNM=0/0;");
  EXPECT_EQ(tables["memberStateDatasets"], "THA=6/18;SGP=0/0;VNM=0/0;");
  const auto rows = monitor::member_state_usage(*usage, datasets_of("THA"), "2026-02", "2026-03", shown);
  std::string text;
  for (const auto& r : rows) text += r.month + " " + r.collection + " " + r.country + " " + std::to_string(r.totals.requests) + ";";
  EXPECT_EQ(text, "2026-02 mines SGP 2;2026-02 mines THA 4;2026-03 mines THA 7;");
  // Work plan 4.3's utilization: the state's datasets in a day range, whoever asked; a
  // dataset the caller may not read is not counted.
  std::string use;
  for (const auto& u : monitor::member_state_utilization(*usage, "2026-02-28", "2026-03-01", {"THA", "SGP"},
                                                         datasets_of, shown))
    use += u.state + " " + std::to_string(u.datasets) + " " + std::to_string(u.totals.requests) + "/" +
           std::to_string(u.totals.features) + "/" + std::to_string(u.totals.bytes) + ";";
  EXPECT_EQ(use, "THA 1 9/27/900;SGP 0 0/0/0;");
  const monitor::DatasetsOf with_roads = [](const std::string&) {
    return std::vector<monitor::StateDataset>{{"mines", "features", 1}, {"roads", "record", 0}};
  };
  use.clear();
  for (const auto& u : monitor::member_state_utilization(*usage, "2026-02-27", "2026-02-27", {"THA"}, with_roads, shown))
    use += std::to_string(u.datasets) + " " + std::to_string(u.totals.requests) + ";";
  EXPECT_EQ(use, "1 4;");
}

TEST(UsageReports, MonthsAndTheirDays) {
  EXPECT_TRUE(monitor::is_month("2026-12"));
  EXPECT_FALSE(monitor::is_month("2026-13"));
  EXPECT_FALSE(monitor::is_month("2026-1"));
  EXPECT_FALSE(monitor::is_month("20a6-01"));
  EXPECT_EQ(monitor::last_day("2024-02"), "2024-02-29");
  EXPECT_EQ(monitor::last_day("2026-02"), "2026-02-28");
  EXPECT_EQ(monitor::last_day("2100-02"), "2100-02-28");
  EXPECT_EQ(monitor::last_day("2026-04"), "2026-04-30");
  EXPECT_EQ(monitor::first_day("2026-04"), "2026-04-01");
}

TEST(ReturnedFeatures, CountsPerRequestOnItsOwnThreadAndNothingOutsideOne) {
  using amis::core::ReturnedFeatures;
  ReturnedFeatures::add(5);  // no request on this thread: nowhere to add
  const ReturnedFeatures outer;
  ReturnedFeatures::add(3);
  ReturnedFeatures::add(-2);  // never subtracts
  std::int64_t other_thread = -1;
  std::thread([&other_thread] {
    const ReturnedFeatures own;
    ReturnedFeatures::add(7);
    other_thread = own.count();
  }).join();
  {
    const ReturnedFeatures inner;  // a nested count hides the outer one until it ends
    ReturnedFeatures::add(2);
    EXPECT_EQ(inner.count(), 2);
  }
  ReturnedFeatures::add(1);
  EXPECT_EQ(outer.count(), 4);
  EXPECT_EQ(other_thread, 7);
}

INSTANTIATE_TEST_SUITE_P(Stores, Aggregation, ::testing::Values("gpkg", "postgis"));

}  // namespace
