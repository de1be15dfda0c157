#pragma once
// Operators' metrics of the requests served (issue 18, `/metrics`): requests by service,
// operation, collection and status class, a latency histogram, and the bytes sent and
// features returned by service. Every label value is from the classifier's fixed lists or is the name of a
// collection or layer the store holds: a client asking for made-up names adds to
// collection="unknown", never a new series, so the series count stays small.
// Recording takes one short lock and never touches the store, except to read the
// known names again when an unknown one is asked, at most every few seconds.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "http/router.hpp"
#include "monitor/prometheus_text.hpp"
#include "monitor/usage_classifier.hpp"

namespace amis::monitor {

class RequestMetrics {
 public:
  using KnownNames = std::function<std::set<std::string, std::less<>>()>;
  explicit RequestMetrics(KnownNames known_names);

  // Counts one ended exchange. Never throws.
  void record(const http::Request& request, const http::Router::Outcome& outcome) noexcept;
  // The same for a request classified already (the observer classifies once for every counter).
  void record(const Classification& what, const http::Router::Outcome& outcome) noexcept;
  // Appends the request metrics' families.
  void write(PrometheusText& out);

  // The upper bounds of the latency histogram's buckets, in seconds.
  static const std::vector<double>& latency_buckets();

 private:
  struct Key {
    std::string service, operation, collection, status_class;
    auto operator<=>(const Key&) const = default;
  };
  struct Latency {
    std::vector<std::uint64_t> buckets;  // per upper bound, not cumulative
    double sum = 0;
    std::uint64_t count = 0;
  };
  std::string collection_label(const std::string& asked);

  KnownNames known_names_;
  std::mutex names_mutex_;
  std::shared_ptr<const std::set<std::string, std::less<>>> known_;
  std::chrono::steady_clock::time_point names_read_;

  std::mutex mutex_;
  std::map<Key, std::uint64_t> requests_;
  std::map<std::string, Latency, std::less<>> latency_;  // by service
  std::map<std::string, std::uint64_t, std::less<>> bytes_;  // by service
  std::map<std::string, std::uint64_t, std::less<>> features_;  // by service
};

}  // namespace amis::monitor
