#include "monitor/request_metrics.hpp"

#include <algorithm>

namespace amis::monitor {
namespace {

// An unknown name is looked for again in the store at most this often.
constexpr auto kNamesRefresh = std::chrono::seconds(5);

const char* status_class(int status) {
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  if (status >= 300) return "3xx";
  if (status >= 200) return "2xx";
  return "1xx";
}

}  // namespace

const std::vector<double>& RequestMetrics::latency_buckets() {
  static const std::vector<double> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                          0.25,  0.5,    1,     2.5,  5,     10,   30};
  return bounds;
}

RequestMetrics::RequestMetrics(KnownNames known_names)
    : known_names_(std::move(known_names)),
      known_(std::make_shared<const std::set<std::string, std::less<>>>(known_names_())),
      names_read_(std::chrono::steady_clock::now()) {}

std::string RequestMetrics::collection_label(const std::string& asked) {
  if (asked.empty()) return "";
  std::shared_ptr<const std::set<std::string, std::less<>>> known;
  {
    std::lock_guard lock(names_mutex_);
    known = known_;
  }
  if (known->count(asked)) return asked;
  // A collection created since the names were read: read them again, not too often,
  // and by one thread at a time (the others count "unknown" meanwhile).
  std::unique_lock lock(names_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || std::chrono::steady_clock::now() - names_read_ < kNamesRefresh) return "unknown";
  names_read_ = std::chrono::steady_clock::now();
  lock.unlock();
  try {
    auto fresh = std::make_shared<const std::set<std::string, std::less<>>>(known_names_());
    const bool found = fresh->count(asked) > 0;
    lock.lock();
    known_ = std::move(fresh);
    return found ? asked : "unknown";
  } catch (...) {
    return "unknown";
  }
}

void RequestMetrics::record(const http::Request& request, const http::Router::Outcome& outcome) noexcept {
  try {
    record(classify(request), outcome);
  } catch (...) {  // a metric is not worth a request
  }
}

void RequestMetrics::record(const Classification& what, const http::Router::Outcome& outcome) noexcept {
  try {
    Key key{what.service, what.operation, collection_label(what.collection), status_class(outcome.status)};
    const double seconds = outcome.milliseconds / 1000.0;
    const auto& bounds = latency_buckets();
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin());
    std::lock_guard lock(mutex_);
    ++requests_[std::move(key)];
    auto& latency = latency_[what.service];
    if (latency.buckets.empty()) latency.buckets.assign(bounds.size() + 1, 0);  // the last is +Inf
    ++latency.buckets[bucket];
    latency.sum += seconds;
    ++latency.count;
    bytes_[what.service] += outcome.bytes;
    if (outcome.features > 0) features_[what.service] += static_cast<std::uint64_t>(outcome.features);
  } catch (...) {  // a metric is not worth a request
  }
}

void RequestMetrics::write(PrometheusText& out) {
  std::map<Key, std::uint64_t> requests;
  std::map<std::string, Latency, std::less<>> latency;
  std::map<std::string, std::uint64_t, std::less<>> bytes;
  std::map<std::string, std::uint64_t, std::less<>> features;
  {
    std::lock_guard lock(mutex_);
    requests = requests_;
    latency = latency_;
    bytes = bytes_;
    features = features_;
  }
  out.family("amis_http_requests_total", "counter",
             "Requests answered, by service, operation, collection or layer (\"unknown\" for a name the store "
             "does not hold, empty for none) and status class.");
  for (const auto& [k, n] : requests)
    out.sample("amis_http_requests_total",
               {{"service", k.service}, {"operation", k.operation}, {"collection", k.collection},
                {"status_class", k.status_class}},
               static_cast<double>(n));
  out.family("amis_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to the end of its response, by service.");
  const auto& bounds = latency_buckets();
  for (const auto& [service, l] : latency) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += l.buckets[i];
      const std::string le = PrometheusText::bound(bounds[i]);
      out.sample("amis_http_request_duration_seconds_bucket", {{"service", service}, {"le", le}},
                 static_cast<double>(cumulative));
    }
    out.sample("amis_http_request_duration_seconds_bucket", {{"service", service}, {"le", "+Inf"}},
               static_cast<double>(l.count));
    out.sample("amis_http_request_duration_seconds_sum", {{"service", service}}, l.sum);
    out.sample("amis_http_request_duration_seconds_count", {{"service", service}}, static_cast<double>(l.count));
  }
  out.family("amis_http_response_bytes_total", "counter", "Bytes of response bodies sent, by service.");
  for (const auto& [service, n] : bytes)
    out.sample("amis_http_response_bytes_total", {{"service", service}}, static_cast<double>(n));
  out.family("amis_features_returned_total", "counter",
             "Features returned (OGC API items, WFS GetFeature, downloads, GetFeatureInfo, vector tiles made), "
             "by service.");
  for (const auto& [service, n] : features)
    out.sample("amis_features_returned_total", {{"service", service}}, static_cast<double>(n));
}

}  // namespace amis::monitor
