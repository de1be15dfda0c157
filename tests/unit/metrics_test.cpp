// Prometheus's /metrics (issue 18, operators): the text format's escaping and numbers,
// and the request metrics' fixed label set — a made-up collection name counts as
// "unknown" and never adds a series.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <set>
#include <string>

#include "http/router.hpp"
#include "monitor/prometheus_text.hpp"
#include "monitor/request_metrics.hpp"

namespace {

using amis::http::Request;
using amis::http::Router;
namespace monitor = amis::monitor;

Router routes() {
  Router r;
  const auto none = [](Request&, amis::http::Response&) {};
  for (const char* p : {"/collections/{collectionId}/items", "/wms"}) r.add("GET", p, none);
  return r;
}

Request request_for(const Router& router, const std::string& path,
                    std::vector<std::pair<std::string, std::string>> query = {}) {
  Request rq;
  rq.method = "GET";
  rq.path = path;
  rq.query = std::move(query);
  const amis::http::Handler* handler = nullptr;
  std::string allowed;
  router.match(rq, handler, allowed);
  return rq;
}

std::size_t series(const std::string& text) {
  std::size_t n = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find('\n', at);
    if (text[at] != '#') ++n;
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return n;
}

TEST(PrometheusText, EscapesLabelValuesAndWritesNumbers) {
  monitor::PrometheusText out;
  out.family("x_total", "counter", "A test.");
  out.sample("x_total", {{"name", "a\"b\\c\nd"}}, 3);
  out.sample("x_total", {}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP x_total A test.\n# TYPE x_total counter\n"
            "x_total{name=\"a\\\"b\\\\c\\nd\"} 3\nx_total 0.25\n");
  EXPECT_EQ(monitor::PrometheusText::bound(0.005), "0.005");
  EXPECT_EQ(monitor::PrometheusText::bound(10), "10");
}

TEST(RequestMetrics, CountsKnownNamesAndFoldsMadeUpOnesIntoUnknown) {
  std::atomic<int> reads{0};
  monitor::RequestMetrics metrics([&reads] {
    ++reads;
    return std::set<std::string, std::less<>>{"coal_mines"};
  });
  const auto router = routes();
  for (int i = 0; i < 3; ++i)
    metrics.record(request_for(router, "/collections/coal_mines/items"), {200, 100, 4.0});
  metrics.record(request_for(router, "/collections/nowhere_0/items"), {404, 50, 1.0});
  monitor::PrometheusText first;
  metrics.write(first);
  for (int i = 1; i < 5000; ++i)
    metrics.record(request_for(router, "/collections/nowhere_" + std::to_string(i) + "/items"), {404, 50, 1.0});
  monitor::PrometheusText second;
  metrics.write(second);
  EXPECT_EQ(series(first.text()), series(second.text())) << second.text();
  EXPECT_NE(second.text().find("amis_http_requests_total{service=\"features\",operation=\"items\","
                               "collection=\"coal_mines\",status_class=\"2xx\"} 3\n"),
            std::string::npos)
      << second.text();
  EXPECT_NE(second.text().find("collection=\"unknown\",status_class=\"4xx\"} 5000\n"), std::string::npos)
      << second.text();
  EXPECT_EQ(second.text().find("nowhere"), std::string::npos);
  // The store is asked again for an unknown name at most every few seconds, not per request.
  EXPECT_LE(reads.load(), 2);
}

TEST(RequestMetrics, HistogramBucketsAreCumulativeAndEndWithTheCount) {
  monitor::RequestMetrics metrics([] { return std::set<std::string, std::less<>>{}; });
  const auto router = routes();
  const double milliseconds[] = {0.5, 3, 3, 40, 700, 120000};
  double sum = 0;
  for (double ms : milliseconds) {
    metrics.record(request_for(router, "/wms", {{"REQUEST", "GetMap"}}), {200, 10, ms, 2});
    sum += ms / 1000;
  }
  monitor::PrometheusText out;
  metrics.write(out);
  const std::string& text = out.text();
  const auto bucket = [&](const std::string& le) {
    std::smatch m;
    const std::regex re("amis_http_request_duration_seconds_bucket\\{service=\"wms\",le=\"" + le + "\"\\} (\\d+)");
    EXPECT_TRUE(std::regex_search(text, m, re)) << le << "\n" << text;
    return std::stoi(m[1]);
  };
  EXPECT_EQ(bucket("0.001"), 1);
  EXPECT_EQ(bucket("0.005"), 3);
  EXPECT_EQ(bucket("0.05"), 4);
  EXPECT_EQ(bucket("1"), 5);
  EXPECT_EQ(bucket("30"), 5);
  EXPECT_EQ(bucket("\\+Inf"), 6);
  EXPECT_NE(text.find("amis_http_request_duration_seconds_count{service=\"wms\"} 6\n"), std::string::npos);
  EXPECT_NE(text.find("amis_http_response_bytes_total{service=\"wms\"} 60\n"), std::string::npos);
  EXPECT_NE(text.find("amis_features_returned_total{service=\"wms\"} 12\n"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("amis_http_request_duration_seconds_sum\\{service=\"wms\"\\} (\\S+)")));
  EXPECT_NEAR(std::stod(m[1]), sum, 1e-9);
}

}  // namespace
