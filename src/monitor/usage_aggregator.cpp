#include "monitor/usage_aggregator.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "monitor/client_address.hpp"
#include "monitor/client_class.hpp"

namespace amis::monitor {
namespace {

// "2026-12-05T14" (hour) and "2026-12-05" (day), UTC.
std::string utc_hour(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H", &tm);
  return text;
}

const char* status_class(int status) {
  if (status == 0) return "none";  // the client left before any answer
  if (status >= 500) return "5xx";
  if (status >= 400) return "4xx";
  if (status >= 300) return "3xx";
  return "2xx";
}

template <typename Map>
std::vector<core::UsageCount> counts_of(const Map& m) {
  std::vector<core::UsageCount> out;
  out.reserve(m.size());
  for (const auto& [k, t] : m) out.push_back({k, t});
  return out;
}

}  // namespace

UsageAggregator::UsageAggregator(UsageRecorder& recorder, store::UsageStore& store, const CountryDatabase& countries,
                                 KnownNames known_names, UsageOptions options,
                                 std::vector<std::string> trusted_proxies, Clock clock)
    : recorder_(recorder),
      store_(store),
      countries_(countries),
      known_names_(std::move(known_names)),
      options_(std::move(options)),
      trusted_proxies_(std::move(trusted_proxies)),
      clock_(clock ? std::move(clock) : Clock(wall_clock_ms)),
      known_(known_names_()),
      last_write_(std::chrono::steady_clock::now()) {}

UsageAggregator::~UsageAggregator() { stop(); }

void UsageAggregator::start() { thread_ = std::thread([this] { run(); }); }

void UsageAggregator::stop() {
  {
    std::lock_guard lock(wake_mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void UsageAggregator::run() {
  for (;;) {
    bool last = false;
    {
      std::unique_lock lock(wake_mutex_);
      // Ten drains a second: at 25,000 requests a second the queue holds 2,500 events between two.
      wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; });
      last = stopping_;
    }
    try {
      std::lock_guard lock(mutex_);
      drain();
      if (last || std::chrono::steady_clock::now() - last_write_ >= std::chrono::seconds(options_.flush_seconds))
        write();
    } catch (const std::exception& e) {
      spdlog::warn("usage statistics: {}", e.what());
    }
    if (last) return;
  }
}

void UsageAggregator::flush() {
  std::lock_guard lock(mutex_);
  drain();
  write();
}

UsageAggregator::Status UsageAggregator::status() {
  std::lock_guard lock(mutex_);
  auto s = status_;
  s.pending = pending_;
  return s;
}

void UsageAggregator::drain() {
  while (auto e = recorder_.queue().try_pop()) add(std::move(*e));
}

void UsageAggregator::count_visitor(const std::string& day, const std::string& collection, std::uint64_t digest) {
  if (day != visitor_day_) {
    seen_.clear();
    visitor_day_ = day;
  }
  if (seen_.size() >= options_.max_visitors_per_day) return;
  // The pair (visitor, collection) as one number; "" is the service as a whole.
  const std::uint64_t key = collection.empty() ? digest : digest ^ (std::hash<std::string>{}(collection) * 0x9E3779B97F4A7C15ULL);
  if (seen_.insert(key).second) ++new_visitors_[{day, collection}];
}

void UsageAggregator::add(UsageEvent&& e) {
  core::UsageKey key;
  key.period = utc_hour(e.time_ms);
  const std::string day = key.period.substr(0, 10);
  if (e.collection.empty()) key.collection = "";
  else key.collection = known_.count(e.collection) ? e.collection : "unknown";
  key.service = e.service;
  key.operation = e.operation;
  key.format = e.format;
  key.status_class = status_class(e.status);
  key.client_class = client_class(e.user_agent);
  const auto address = client_address(e.peer, e.forwarded_for, trusted_proxies_);
  key.country = !e.member_state.empty() ? e.member_state : countries_.country_of(address);
  if (!address.empty()) {
    const auto digest = digests_.digest(day, address, e.user_agent);
    count_visitor(day, "", digest);
    if (!key.collection.empty() && key.collection != "unknown") count_visitor(day, key.collection, digest);
  }
  const core::UsageTotals totals{1, e.bytes, e.latency_ms, e.features};
  hourly_[key] += totals;
  key.period = day;
  daily_[key] += totals;
  if (options_.raw_event_days > 0) events_.push_back({e.time_ms, std::move(key), e.bytes, e.latency_ms, e.features});
  ++pending_;
}

void UsageAggregator::write() {
  const auto now = clock_();
  last_write_ = std::chrono::steady_clock::now();
  if (pending_ > 0) {
    core::UsageBatch batch{counts_of(hourly_), counts_of(daily_), {}, events_};
    for (const auto& [k, n] : new_visitors_) batch.visitors.push_back({k.first, k.second, n});
    try {
      store_.add_usage(batch);
    } catch (const std::exception& e) {
      ++status_.failed_writes;
      spdlog::warn("usage statistics: {} events not written yet: {}", pending_, e.what());
      return;  // kept for the next write
    }
    status_.written += pending_;
    pending_ = 0;
    hourly_.clear();
    daily_.clear();
    new_visitors_.clear();
    events_.clear();
  }
  const auto forget_before = now - static_cast<std::int64_t>(options_.raw_event_days) * 86400000LL;
  if (const auto forgotten = store_.forget_usage_events(forget_before); forgotten > 0)
    spdlog::debug("usage statistics: {} raw events past {} days deleted", forgotten, options_.raw_event_days);
  known_ = known_names_();
}

}  // namespace amis::monitor
